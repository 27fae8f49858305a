/** Checks shared by the group APIs: is this node the coordinator of the group? */
import { ErrorCode } from '../protocol/generated/errors';
import type { OffsetEntry } from '../group/offset-store';
import type { BrokerContext } from '../node-context';

/** NOT_COORDINATOR when another node leads the group's __consumer_offsets partition; null when we serve it. */
export function groupError(broker: BrokerContext, groupId: string): number | null {
  if (!groupId) return ErrorCode.INVALID_GROUP_ID;
  const state = broker.groups.partitionState(groupId);
  if (!state) return broker.groups.ensureOffsetsTopic() ? null : ErrorCode.COORDINATOR_NOT_AVAILABLE;
  return state.leader === broker.nodeId ? null : ErrorCode.NOT_COORDINATOR;
}

const MAX_METADATA_BYTES = 4096; // offset.metadata.max.bytes

interface CommitTopic {
  name: string;
  partitions: {
    partitionIndex: number;
    committedOffset: bigint;
    committedLeaderEpoch?: number;
    committedMetadata: string | null;
  }[];
}

/**
 * The per-partition checks OffsetCommit and TxnOffsetCommit share (Kafka's GroupCoordinator validates
 * both alike): a group-level error answers every partition; metadata over offset.metadata.max.bytes is
 * OFFSET_METADATA_TOO_LARGE; an unknown partition is UNKNOWN_TOPIC_OR_PARTITION. Returns the response
 * topics and the offsets to store.
 */
export function checkCommits(broker: BrokerContext, topics: readonly CommitTopic[], err: number | null) {
  const now = BigInt(Date.now());
  const accepted: OffsetEntry[] = [];
  const results = topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const errorCode = (code: number) => ({ partitionIndex: p.partitionIndex, errorCode: code });
      if (err !== null) return errorCode(err);
      const metadata = p.committedMetadata ?? '';
      if (Buffer.byteLength(metadata) > MAX_METADATA_BYTES)
        return errorCode(ErrorCode.OFFSET_METADATA_TOO_LARGE);
      if (!broker.metadata.topic(t.name)?.partitions[p.partitionIndex])
        return errorCode(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      accepted.push({
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch ?? -1,
        metadata,
        commitTimestamp: now,
      });
      return errorCode(ErrorCode.NONE);
    }),
  }));
  return { results, accepted };
}
