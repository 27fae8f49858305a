/**
 * Replica placement checks shared by CreateTopics and CreatePartitions, with the texts of Kafka's
 * ReplicationControlManager (manual assignments) and StripedReplicaPlacer (automatic placement).
 */
import type { MetadataImage } from '../../controller/metadata-image';

/** validateManualPartitionAssignment: the reason a replica list is refused, or null. */
export function manualAssignmentError(
  metadata: MetadataImage,
  brokerIds: readonly number[],
  replicationFactor?: number,
): string | null {
  if (brokerIds.length === 0) return 'The manual partition assignment includes an empty replica list.';
  const sorted = [...brokerIds].sort((a, b) => a - b);
  let prev: number | undefined;
  for (const id of sorted) {
    if (!metadata.brokers.has(id))
      return `The manual partition assignment includes broker ${id}, but no such broker is registered.`;
    if (id === prev) return `The manual partition assignment includes the broker ${prev} more than once.`;
    prev = id;
  }
  if (replicationFactor !== undefined && sorted.length !== replicationFactor) {
    return (
      `The manual partition assignment includes a partition with ${sorted.length} replica(s), but this is ` +
      `not consistent with previous partitions, which have ${replicationFactor} replica(s).`
    );
  }
  return null;
}

/** A manual assignment whose brokers are all fenced cannot elect a leader. */
export function allFencedError(metadata: MetadataImage, brokerIds: readonly number[], partition: number) {
  return brokerIds.some((id) => metadata.brokers.get(id)?.fenced === false)
    ? null
    : `All brokers specified in the manual partition assignment for partition ${partition} are fenced or in controlled shutdown.`;
}

/**
 * Why `replicationFactor` replicas cannot be placed automatically, or null. Kafka counts registered
 * brokers first; our placement then only uses unfenced ones, so fewer unfenced brokers is refused too.
 */
export function placementError(metadata: MetadataImage, replicationFactor: number): string | null {
  const prefix = `Unable to replicate the partition ${replicationFactor} time(s): `;
  const registered = metadata.brokers.size;
  const live = metadata.liveBrokerIds().length;
  const target = `The target replication factor of ${replicationFactor} cannot be reached because only`;
  if (replicationFactor > registered) return `${prefix}${target} ${registered} broker(s) are registered.`;
  if (live === 0) return `${prefix}All brokers are currently fenced.`;
  if (replicationFactor > live) return `${prefix}${target} ${live} broker(s) are unfenced.`;
  return null;
}
