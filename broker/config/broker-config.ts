/**
 * The typed configuration of one broker node, built from server.properties text, a file and/or
 * `--override`-style values (all three are STATIC_BROKER_CONFIG in Kafka's terms; later ones win).
 * Cross-key rules follow KafkaConfig.validateValues where they matter to this broker.
 */
import { readFileSync } from 'node:fs';
import { COMPRESSION_TYPES, TIMESTAMP_TYPES } from './defs';
import { ConfigError } from './errors';
import { parseQuorumVoters } from './listeners';
import type { Listener, ListenerAddress, QuorumVoter, SecurityProtocol } from './listeners';
import { parseProperties } from './properties';
import { ConfigValues, type ConfigLogger } from './values';
import { resolveListeners } from './resolve-listeners';

export type ProcessRole = 'broker' | 'controller';
export type CompressionType = (typeof COMPRESSION_TYPES)[number];
export type TimestampType = (typeof TIMESTAMP_TYPES)[number];
export type { Listener, ListenerAddress, QuorumVoter, SecurityProtocol };

export interface BrokerConfig {
  nodeId: number;
  processRoles: ProcessRole[];
  /** Empty = this node is the whole quorum (single-node quickstart). */
  controllerQuorumVoters: QuorumVoter[];
  clusterId: string | null;
  brokerRack: string | null;
  /** What to bind. host '' = all interfaces; port 0 = OS-assigned. */
  listeners: Listener[];
  /** What Metadata returns. Port 0 here means "advertise the port actually bound". */
  advertisedListeners: Listener[];
  listenerSecurityProtocolMap: Map<string, SecurityProtocol>;
  interBrokerListenerName: string;
  controllerListenerNames: string[];
  logDirs: string[];
  numPartitions: number;
  defaultReplicationFactor: number;
  minInsyncReplicas: number;
  autoCreateTopicsEnable: boolean;
  deleteTopicEnable: boolean;
  /** Effective retention from log.retention.ms > minutes > hours; -1 = unlimited. */
  logRetentionMs: number;
  logRetentionBytes: number;
  logRetentionCheckIntervalMs: number;
  logCleanupPolicy: ('delete' | 'compact')[];
  logSegmentBytes: number;
  /** Effective roll time from log.roll.ms > log.roll.hours. */
  logRollMs: number;
  logIndexIntervalBytes: number;
  logIndexSizeMaxBytes: number;
  logFlushIntervalMessages: number;
  /** null = no time-based flush (only on segment roll). */
  logFlushIntervalMs: number | null;
  logMessageTimestampType: TimestampType;
  compressionType: CompressionType;
  messageMaxBytes: number;
  replicaLagTimeMaxMs: number;
  replicaFetchMaxBytes: number;
  uncleanLeaderElectionEnable: boolean;
  autoLeaderRebalanceEnable: boolean;
  offsetsTopicNumPartitions: number;
  offsetsTopicReplicationFactor: number;
  offsetsRetentionMinutes: number;
  groupInitialRebalanceDelayMs: number;
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  groupMaxSize: number;
  transactionStateLogNumPartitions: number;
  transactionStateLogReplicationFactor: number;
  transactionStateLogMinIsr: number;
  transactionMaxTimeoutMs: number;
  socketRequestMaxBytes: number;
  /** -1 = OS default. */
  socketSendBufferBytes: number;
  socketReceiveBufferBytes: number;
  connectionsMaxIdleMs: number;
  queuedMaxRequests: number;
  fetchMaxBytes: number;
  /** Accepted, no effect: Node has one event loop. */
  numNetworkThreads: number;
  numIoThreads: number;
  numRecoveryThreadsPerDataDir: number;
  brokerSessionTimeoutMs: number;
  brokerHeartbeatIntervalMs: number;
  /** Every key given (file, text, overrides), known or not; the source for describeBrokerConfig. */
  staticProps: ReadonlyMap<string, string>;
}

export interface LoadBrokerConfigInput {
  file?: string;
  text?: string;
  overrides?: Record<string, string | number | boolean>;
}

const consoleLogger: ConfigLogger = { warn: (msg) => console.warn(msg) };

export function loadBrokerConfig(
  input: LoadBrokerConfigInput,
  log: ConfigLogger = consoleLogger,
): BrokerConfig {
  const props = new Map<string, string>();
  if (input.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(input.file, 'utf8');
    } catch (err) {
      throw new ConfigError(`Cannot read broker configuration file ${input.file}: ${(err as Error).message}`);
    }
    for (const [k, v] of parseProperties(text)) props.set(k, v);
  }
  if (input.text !== undefined) for (const [k, v] of parseProperties(input.text)) props.set(k, v);
  for (const [k, v] of Object.entries(input.overrides ?? {})) props.set(k, String(v));
  return brokerConfigFromProperties(props, log);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export function brokerConfigFromProperties(
  props: ReadonlyMap<string, string>,
  log: ConfigLogger = consoleLogger,
): BrokerConfig {
  const v = new ConfigValues(new Map(props), log);
  const processRoles = v.list('process.roles') as ProcessRole[];
  if (processRoles.length === 0 || new Set(processRoles).size !== processRoles.length) {
    throw ConfigError.invalidValue(
      'process.roles',
      v.raw('process.roles'),
      'must be broker, controller or both',
    );
  }
  const nodeId = resolveNodeId(v);
  const controllerQuorumVoters = parseQuorumVoters(
    'controller.quorum.voters',
    v.list('controller.quorum.voters'),
  );
  checkVoters(v, processRoles, nodeId, controllerQuorumVoters);

  // Kafka: -1 (any negative) retention.ms means unlimited (KafkaConfig.logRetentionTimeMillis).
  const retentionMs =
    v.optNum('log.retention.ms') ??
    mul(v.optNum('log.retention.minutes'), MINUTE_MS) ??
    v.num('log.retention.hours') * HOUR_MS;
  const logDirs = v.optList('log.dirs') ?? [v.str('log.dir')];
  if (logDirs.length === 0)
    throw ConfigError.invalidValue('log.dirs', v.raw('log.dirs'), 'at least one log directory');

  return {
    nodeId,
    processRoles,
    controllerQuorumVoters,
    clusterId: v.optStr('cluster.id'),
    brokerRack: v.optStr('broker.rack') || null,
    ...resolveListeners(v, processRoles, log),
    logDirs,
    numPartitions: v.num('num.partitions'),
    defaultReplicationFactor: v.num('default.replication.factor'),
    minInsyncReplicas: v.num('min.insync.replicas'),
    autoCreateTopicsEnable: v.bool('auto.create.topics.enable'),
    deleteTopicEnable: v.bool('delete.topic.enable'),
    logRetentionMs: retentionMs < 0 ? -1 : retentionMs,
    logRetentionBytes: v.num('log.retention.bytes'),
    logRetentionCheckIntervalMs: v.num('log.retention.check.interval.ms'),
    logCleanupPolicy: v.list('log.cleanup.policy') as ('delete' | 'compact')[],
    logSegmentBytes: v.num('log.segment.bytes'),
    logRollMs: v.optNum('log.roll.ms') ?? v.num('log.roll.hours') * HOUR_MS,
    logIndexIntervalBytes: v.num('log.index.interval.bytes'),
    logIndexSizeMaxBytes: v.num('log.index.size.max.bytes'),
    logFlushIntervalMessages: v.num('log.flush.interval.messages'),
    logFlushIntervalMs: v.optNum('log.flush.interval.ms'),
    logMessageTimestampType: v.str('log.message.timestamp.type') as TimestampType,
    compressionType: v.str('compression.type') as CompressionType,
    messageMaxBytes: v.num('message.max.bytes'),
    replicaLagTimeMaxMs: v.num('replica.lag.time.max.ms'),
    replicaFetchMaxBytes: v.num('replica.fetch.max.bytes'),
    uncleanLeaderElectionEnable: v.bool('unclean.leader.election.enable'),
    autoLeaderRebalanceEnable: v.bool('auto.leader.rebalance.enable'),
    offsetsTopicNumPartitions: v.num('offsets.topic.num.partitions'),
    offsetsTopicReplicationFactor: v.num('offsets.topic.replication.factor'),
    offsetsRetentionMinutes: v.num('offsets.retention.minutes'),
    groupInitialRebalanceDelayMs: v.num('group.initial.rebalance.delay.ms'),
    groupMinSessionTimeoutMs: v.num('group.min.session.timeout.ms'),
    groupMaxSessionTimeoutMs: v.num('group.max.session.timeout.ms'),
    groupMaxSize: v.num('group.max.size'),
    transactionStateLogNumPartitions: v.num('transaction.state.log.num.partitions'),
    transactionStateLogReplicationFactor: v.num('transaction.state.log.replication.factor'),
    transactionStateLogMinIsr: v.num('transaction.state.log.min.isr'),
    transactionMaxTimeoutMs: v.num('transaction.max.timeout.ms'),
    socketRequestMaxBytes: v.num('socket.request.max.bytes'),
    socketSendBufferBytes: v.num('socket.send.buffer.bytes'),
    socketReceiveBufferBytes: v.num('socket.receive.buffer.bytes'),
    connectionsMaxIdleMs: v.num('connections.max.idle.ms'),
    queuedMaxRequests: v.num('queued.max.requests'),
    fetchMaxBytes: v.num('fetch.max.bytes'),
    numNetworkThreads: v.num('num.network.threads'),
    numIoThreads: v.num('num.io.threads'),
    numRecoveryThreadsPerDataDir: v.num('num.recovery.threads.per.data.dir'),
    brokerSessionTimeoutMs: v.num('broker.session.timeout.ms'),
    brokerHeartbeatIntervalMs: v.num('broker.heartbeat.interval.ms'),
    staticProps: v.props,
  };
}

function mul(n: number | null, factor: number): number | null {
  return n === null ? null : n * factor;
}

/** broker.id is node.id's legacy synonym; Kafka refuses two different values. */
function resolveNodeId(v: ConfigValues): number {
  const nodeId = v.isSet('node.id') ? v.num('node.id') : null;
  const brokerId = v.isSet('broker.id') ? v.num('broker.id') : null;
  if (nodeId !== null && brokerId !== null && nodeId !== brokerId) {
    throw ConfigError.invalidValue(
      'node.id',
      v.raw('node.id'),
      `must match broker.id (${brokerId}) when both are set`,
    );
  }
  return nodeId ?? brokerId ?? v.num('node.id');
}

function checkVoters(v: ConfigValues, roles: ProcessRole[], nodeId: number, voters: QuorumVoter[]): void {
  const raw = v.raw('controller.quorum.voters');
  if (roles.includes('controller') && voters.length > 0 && !voters.some((x) => x.id === nodeId)) {
    throw ConfigError.invalidValue(
      'controller.quorum.voters',
      raw,
      `must include this node's node.id ${nodeId}`,
    );
  }
  if (!roles.includes('controller') && voters.length === 0) {
    throw ConfigError.invalidValue(
      'controller.quorum.voters',
      raw,
      'must be set when process.roles lacks controller',
    );
  }
}
