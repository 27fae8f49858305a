/**
 * `kafka-topics --describe` in Kafka 4.0's format (TopicCommand.TopicDescription/PartitionDescription):
 *   Topic: t<TAB>TopicId: <id><TAB>PartitionCount: 2<TAB>ReplicationFactor: 1<TAB>Configs: k=v,...
 *   <TAB>Topic: t<TAB>Partition: 0<TAB>Leader: 1<TAB>Replicas: 1<TAB>Isr: 1<TAB>Elr: <TAB>LastKnownElr:
 * Configs lists the entries whose source is not DEFAULT_CONFIG (so static broker settings such as
 * log.segment.bytes from server.properties show, as in the quickstart). Elr/LastKnownElr print "N/A"
 * when the cluster has no DescribeTopicPartitions (KIP-966), exactly as Kafka's tool does.
 */
import { ZERO_UUID } from '../protocol/reader';
import type { ConfigEntry, PartitionInfo, TopicInfo } from './admin';
import { out } from './output';

export interface DescribeOptions {
  underReplicated: boolean;
  unavailable: boolean;
  underMinIsr: boolean;
  atMinIsr: boolean;
  withOverrides: boolean;
  liveBrokers: Set<number>;
}

const ids = (xs: number[]) => xs.join(',');
const elr = (xs: number[] | null) => (xs === null ? 'N/A' : ids(xs));

export function topicLine(t: TopicInfo, configs: ConfigEntry[]): string {
  const overrides = configs
    .filter((c) => !c.isDefault)
    .map((c) => `${c.name}=${c.value}`)
    .join(',');
  const id = t.topicId === ZERO_UUID ? '' : `\tTopicId: ${t.topicId}`;
  const rf = t.partitions[0]?.replicas.length ?? 0;
  return `Topic: ${t.name}${id}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${rf}\tConfigs: ${overrides}`;
}

export function partitionLine(topic: string, p: PartitionInfo): string {
  const leader = p.leader >= 0 ? String(p.leader) : 'none';
  return (
    `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${leader}\tReplicas: ${ids(p.replicas)}` +
    `\tIsr: ${ids(p.isr)}\tElr: ${elr(p.elr)}\tLastKnownElr: ${elr(p.lastKnownElr)}`
  );
}

function minIsr(configs: ConfigEntry[]): number {
  const v = configs.find((c) => c.name === 'min.insync.replicas')?.value;
  return v ? Number(v) : 1;
}

export function printDescription(
  topics: TopicInfo[],
  configsByTopic: Map<string, ConfigEntry[]>,
  o: DescribeOptions,
) {
  const reportOnly = o.underReplicated || o.unavailable || o.underMinIsr || o.atMinIsr;
  for (const t of topics) {
    const configs = configsByTopic.get(t.name) ?? [];
    if (!reportOnly) {
      const hasOverrides = configs.some((c) => !c.isDefault);
      if (!o.withOverrides || hasOverrides) out(topicLine(t, configs));
    }
    if (o.withOverrides) continue;
    const min = minIsr(configs);
    for (const p of t.partitions) {
      const hasLeader = p.leader >= 0;
      const print =
        !reportOnly ||
        (o.underReplicated && p.replicas.length - p.isr.length > 0) ||
        (o.unavailable && (!hasLeader || !o.liveBrokers.has(p.leader))) ||
        (o.underMinIsr && (!hasLeader || p.isr.length < min)) ||
        (o.atMinIsr && p.isr.length === min);
      if (print) out(partitionLine(t.name, p));
    }
  }
}
