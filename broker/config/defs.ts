/**
 * Every broker configuration key this broker knows: Kafka's name, type, default (as the string Kafka's
 * DescribeConfigs reports), validator and doc. Defaults are Apache Kafka's (docs "Broker Configs")
 * except where a comment says why ours differ. Defaults go through the same parser and validator as
 * user values, so a bad default fails the unit tests rather than a start-up.
 */
import { atLeast, nonEmptyString, oneOf, type ConfigType, type Validator } from './types';

export interface ConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  /** Raw default as Kafka would print it; null = no default. */
  readonly default: string | null;
  readonly validator?: Validator;
  readonly doc: string;
  /** Other keys feeding the same setting, in Kafka precedence order (DescribeConfigs `synonyms`). */
  readonly synonyms?: readonly string[];
  /** Accepted so stock Kafka files load, but this broker does not act on it. */
  readonly noEffect?: boolean;
}

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export const COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] as const;
export const TIMESTAMP_TYPES = ['CreateTime', 'LogAppendTime'] as const;

type Extra = Pick<ConfigDef, 'synonyms' | 'noEffect'>;

function row(
  name: string,
  type: ConfigType,
  dflt: string | null,
  validator: Validator | null,
  doc: string,
  extra: Extra = {},
): ConfigDef {
  return { name, type, default: dflt, ...(validator ? { validator } : {}), doc, ...extra };
}

const NOT_USED = 'Accepted for compatibility with Kafka configuration files; this broker ignores it.';

// One row per key, one line per row: the table reads better unwrapped.
// prettier-ignore
export const BROKER_CONFIG_DEFS: readonly ConfigDef[] = [
  // --- identity and roles (KIP-500 / KIP-631)
  // Kafka has no usable default (node.id must be set); 1 lets the single-node quickstart run bare.
  row('node.id', 'int', '1', atLeast(0), 'The node id of this server (KRaft).', { synonyms: ['broker.id'] }),
  row('broker.id', 'int', null, atLeast(0), 'Legacy name for node.id; if both are set they must match.', { synonyms: ['node.id'] }),
  // Kafka's default is empty (ZooKeeper mode, gone in 4.0); we are always KRaft, combined by default.
  row('process.roles', 'list', 'broker,controller', oneOf('broker', 'controller'), 'The roles of this node.'),
  row('controller.quorum.voters', 'list', '', null, 'Controller quorum as id@host:port,...; empty = this node alone.'),
  row('cluster.id', 'string', null, nonEmptyString(), 'Fixed cluster id (ours; Kafka keeps it in meta.properties).'),
  row('broker.rack', 'string', null, null, 'Rack of the broker, used for rack-aware replica assignment.'),
  // --- listeners
  row('listeners', 'list', 'PLAINTEXT://127.0.0.1:9092', null, 'Listener URIs NAME://host:port; empty host = all interfaces, port 0 = any.'),
  row('advertised.listeners', 'list', null, null, 'Listeners published to clients; defaults to listeners minus controller listeners.'),
  row('listener.security.protocol.map', 'list', 'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL', null, 'Listener name to security protocol, NAME:PROTOCOL,...'),
  row('inter.broker.listener.name', 'string', null, null, 'Listener used between brokers; defaults to security.inter.broker.protocol.'),
  row('security.inter.broker.protocol', 'string', 'PLAINTEXT', oneOf(...SECURITY_PROTOCOLS), 'Security protocol between brokers when inter.broker.listener.name is unset.'),
  // Kafka has no default; KRaft requires it. CONTROLLER is the name every Kafka quickstart file uses.
  row('controller.listener.names', 'list', 'CONTROLLER', null, 'Listener names used by the controller quorum.'),
  // --- log storage
  row('log.dirs', 'list', null, null, 'Directories for log data; overrides log.dir.', { synonyms: ['log.dir'] }),
  row('log.dir', 'string', './data/kafka-logs', nonEmptyString(), 'Log directory used when log.dirs is unset (Kafka: /tmp/kafka-logs).'),
  row('num.partitions', 'int', '1', atLeast(1), 'Default number of partitions for auto-created topics.'),
  row('default.replication.factor', 'int', '1', atLeast(1), 'Default replication factor for auto-created topics.'),
  row('min.insync.replicas', 'int', '1', atLeast(1), 'Minimum ISR size for acks=all produce to succeed.'),
  row('auto.create.topics.enable', 'boolean', 'true', null, 'Create a topic on metadata/produce for an unknown topic.'),
  row('delete.topic.enable', 'boolean', 'true', null, 'Allow DeleteTopics.'),
  row('log.retention.ms', 'long', null, null, 'Time to keep a segment before deleting it; -1 = no limit.', { synonyms: ['log.retention.minutes', 'log.retention.hours'] }),
  row('log.retention.minutes', 'int', null, null, 'Retention in minutes, used if log.retention.ms is unset.', { synonyms: ['log.retention.ms', 'log.retention.hours'] }),
  row('log.retention.hours', 'int', '168', null, 'Retention in hours, used if ms and minutes are unset.', { synonyms: ['log.retention.ms', 'log.retention.minutes'] }),
  row('log.retention.bytes', 'long', '-1', null, 'Maximum partition size before old segments are deleted; -1 = no limit.'),
  row('log.retention.check.interval.ms', 'long', '300000', atLeast(1), 'How often the retention checker runs.'),
  row('log.cleanup.policy', 'list', 'delete', oneOf('delete', 'compact'), 'Default cleanup policy for topics.'),
  row('log.segment.bytes', 'int', '1073741824', atLeast(14), 'Maximum size of one segment file.'),
  row('log.roll.ms', 'long', null, atLeast(1), 'Maximum age of the active segment before rolling.', { synonyms: ['log.roll.hours'] }),
  row('log.roll.hours', 'int', '168', atLeast(1), 'Segment roll time in hours, used if log.roll.ms is unset.', { synonyms: ['log.roll.ms'] }),
  row('log.index.interval.bytes', 'int', '4096', atLeast(0), 'Bytes between offset index entries.'),
  row('log.index.size.max.bytes', 'int', '10485760', atLeast(4), 'Maximum size of an offset index file.'),
  row('log.flush.interval.messages', 'long', '9223372036854775807', atLeast(1), 'Messages accumulated before fsync.'),
  row('log.flush.interval.ms', 'long', null, null, 'Maximum time before fsync; unset = only on segment roll.'),
  row('log.message.timestamp.type', 'string', 'CreateTime', oneOf(...TIMESTAMP_TYPES), 'Whether record timestamps are the producer time or the append time.'),
  row('compression.type', 'string', 'producer', oneOf(...COMPRESSION_TYPES), 'Final compression of topic data; producer = keep the producer codec.'),
  row('message.max.bytes', 'int', '1048588', atLeast(0), 'Largest record batch size allowed.'),
  row('num.recovery.threads.per.data.dir', 'int', '1', atLeast(1), NOT_USED, { noEffect: true }),
  // --- replication
  row('replica.lag.time.max.ms', 'long', '30000', null, 'A follower not caught up for this long leaves the ISR.'),
  row('replica.fetch.max.bytes', 'int', '1048576', atLeast(0), 'Bytes per partition a follower fetches per request.'),
  row('unclean.leader.election.enable', 'boolean', 'false', null, 'Allow a replica outside the ISR to become leader (data loss).'),
  row('auto.leader.rebalance.enable', 'boolean', 'true', null, 'Move leadership back to the preferred replica.'),
  // --- group coordinator and internal topics
  row('offsets.topic.num.partitions', 'int', '50', atLeast(1), 'Partitions of __consumer_offsets.'),
  // Kafka's default is 3; 1 lets a single node create it (the quickstart file sets 1 too).
  row('offsets.topic.replication.factor', 'short', '1', atLeast(1), 'Replication factor of __consumer_offsets.'),
  row('offsets.retention.minutes', 'int', '10080', atLeast(1), 'Committed offsets of an empty group are kept this long.'),
  row('group.initial.rebalance.delay.ms', 'int', '3000', null, 'Wait for more members before the first rebalance of a new group.'),
  row('group.min.session.timeout.ms', 'int', '6000', null, 'Smallest session timeout a consumer may ask for.'),
  row('group.max.session.timeout.ms', 'int', '1800000', null, 'Largest session timeout a consumer may ask for.'),
  row('group.max.size', 'int', '2147483647', atLeast(1), 'Maximum members in one consumer group.'),
  row('transaction.state.log.num.partitions', 'int', '50', atLeast(1), 'Partitions of __transaction_state.'),
  // Kafka: 3 and 2; 1 for the same single-node reason as offsets.topic.replication.factor.
  row('transaction.state.log.replication.factor', 'short', '1', atLeast(1), 'Replication factor of __transaction_state.'),
  row('transaction.state.log.min.isr', 'int', '1', atLeast(1), 'min.insync.replicas of __transaction_state.'),
  row('transaction.max.timeout.ms', 'int', '900000', atLeast(1), 'Largest transaction timeout a producer may ask for.'),
  // --- network
  row('socket.request.max.bytes', 'int', '104857600', atLeast(1), 'Largest request frame accepted.'),
  row('socket.send.buffer.bytes', 'int', '102400', null, 'SO_SNDBUF of client sockets; -1 = OS default.'),
  row('socket.receive.buffer.bytes', 'int', '102400', null, 'SO_RCVBUF of client sockets; -1 = OS default.'),
  row('connections.max.idle.ms', 'long', '600000', null, 'Close connections idle this long.'),
  row('queued.max.requests', 'int', '500', atLeast(1), 'Requests read but not yet answered before reading pauses.'),
  row('fetch.max.bytes', 'int', '57671680', atLeast(1024), 'Largest Fetch response the broker returns.'),
  // Node runs one event loop; thread pools have no equivalent.
  row('num.network.threads', 'int', '3', atLeast(1), NOT_USED, { noEffect: true }),
  row('num.io.threads', 'int', '8', atLeast(1), NOT_USED, { noEffect: true }),
  // --- KRaft broker registration (KIP-631)
  row('broker.session.timeout.ms', 'int', '9000', atLeast(1), 'A broker without heartbeats this long is fenced.'),
  row('broker.heartbeat.interval.ms', 'int', '2000', atLeast(1), 'Interval of broker heartbeats to the controller.'),
];

const BY_NAME = new Map(BROKER_CONFIG_DEFS.map((d) => [d.name, d]));

export function brokerConfigDef(name: string): ConfigDef | undefined {
  return BY_NAME.get(name);
}
