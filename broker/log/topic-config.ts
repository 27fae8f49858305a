/**
 * Kafka's topic-level configuration (docs "Topic Configs", LogConfig in Kafka 4.0): every key a topic may
 * override, its type, Kafka's default, validator and the broker keys ("server default property") that
 * supply the default, in Kafka's precedence order. A topic's effective value is its override, else the
 * first broker synonym set in the static configuration, else the default (KIP-226 sources).
 *
 * Where ours differ from Kafka 4.0: segment.bytes keeps the 3.x minimum of 14 bytes (log.segment.bytes has
 * it too) where KIP-1030 raised it to 1 MiB, so tests and small deployments can roll tiny segments; and a
 * static broker synonym always shows as STATIC_BROKER_CONFIG, where Kafka's ConfigHelper drops synonyms
 * listed before the primary key (log.retention.hours alone leaves retention.ms reported as DEFAULT_CONFIG).
 */
import {
  COMPRESSION_TYPES,
  TIMESTAMP_TYPES,
  brokerConfigDef,
  type BrokerConfig,
  type ConfigType,
  type Validator,
} from '../config';
import type { LogConfig } from './types';

export type TopicConfigSource = 'DYNAMIC_TOPIC_CONFIG' | 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG';
type Parsed = number | boolean | string | string[];

export interface TopicConfigSynonym {
  name: string;
  value: string | null;
  source: TopicConfigSource;
}

export interface TopicConfigEntry {
  name: string;
  value: string | null;
  source: TopicConfigSource;
  isSensitive: boolean;
  readOnly: boolean;
  type: ConfigType;
  doc: string;
  /** Where the value could come from, highest precedence first (DescribeConfigs v1+ `synonyms`). */
  synonyms: TopicConfigSynonym[];
}

export interface TopicConfigProblem {
  key: string;
  message: string;
}

type BrokerProps = Pick<BrokerConfig, 'staticProps'>;

/** A broker key feeding a topic key (ServerTopicConfigSynonyms); `factor` converts its unit to the topic's. */
export interface ServerSynonym {
  name: string;
  factor?: number;
  /** Kafka's default for a broker key that BROKER_CONFIG_DEFS does not list. */
  default?: string;
}

export interface TopicConfigDef {
  name: string;
  type: ConfigType;
  /** Kafka's default as DescribeConfigs prints it, used when no synonym supplies one. */
  default: string;
  validator?: Validator;
  doc: string;
  synonyms: readonly ServerSynonym[];
}

// Range.atLeast / Range.between / ValidString.in / ValidList.in, with ConfigDef's reasons.
const atLeast = (min: number): Validator => ({
  describe: `[${min},...]`,
  check: (v) => (typeof v === 'number' && v < min ? `Value must be at least ${min}` : undefined),
});
const between = (min: number, max: number): Validator => ({
  describe: `[${min},...,${max}]`,
  check: (v) =>
    typeof v !== 'number'
      ? undefined
      : v < min
        ? `Value must be at least ${min}`
        : v > max
          ? `Value must be no more than ${max}`
          : undefined,
});
const oneOf = (...allowed: readonly string[]): Validator => ({
  describe: `[${allowed.join(', ')}]`,
  check: (v) =>
    (Array.isArray(v) ? v : [String(v)]).every((x) => allowed.includes(x))
      ? undefined
      : `String must be one of: ${allowed.join(', ')}`,
});
// CompressionType.GZIP.levelValidator: Deflater levels 1-9 or -1 (the zlib default).
const gzipLevel: Validator = {
  describe: '[1,...,9] or -1',
  check: (v) =>
    v === -1 || (typeof v === 'number' && v >= 1 && v <= 9)
      ? undefined
      : 'The value must be between 1 and 9 or equal to -1',
};
// ThrottledReplicaListValidator.
const throttledReplicas = (name: string): Validator => ({
  describe: '[partitionId]:[brokerId],[partitionId]:[brokerId],...',
  check: (v) => {
    const items = (v as string[]).map((x) => x.trim());
    return items.every((x) => /^(\d+:\d+)?$/.test(x)) || items.join('') === '*'
      ? undefined
      : `${name} must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...`;
  },
});

const LONG_MAX = '9223372036854775807';
const HOUR = 3_600_000;
const syn = (name: string, extra: Omit<ServerSynonym, 'name'> = {}): ServerSynonym => ({ name, ...extra });

function def(
  name: string,
  type: ConfigType,
  dflt: string,
  validator: Validator | null,
  synonyms: ServerSynonym[],
  doc: string,
): TopicConfigDef {
  return { name, type, default: dflt, ...(validator ? { validator } : {}), doc, synonyms };
}

// One row per key, one line per row: the table reads better unwrapped.
// prettier-ignore
export const TOPIC_CONFIG_DEFS: readonly TopicConfigDef[] = [
  def('cleanup.policy', 'list', 'delete', oneOf('compact', 'delete'), [syn('log.cleanup.policy')], 'delete discards old segments by time or size; compact keeps the latest value per key.'),
  def('compression.type', 'string', 'producer', oneOf(...COMPRESSION_TYPES), [syn('compression.type')], 'Final compression of the topic data; producer keeps the codec the producer used.'),
  def('compression.gzip.level', 'int', '-1', gzipLevel, [syn('compression.gzip.level', { default: '-1' })], 'Level of gzip compression when compression.type is gzip (KIP-390).'),
  def('compression.lz4.level', 'int', '9', between(1, 17), [syn('compression.lz4.level', { default: '9' })], 'Level of lz4 compression when compression.type is lz4 (KIP-390).'),
  def('compression.zstd.level', 'int', '3', between(-131072, 22), [syn('compression.zstd.level', { default: '3' })], 'Level of zstd compression when compression.type is zstd (KIP-390).'),
  def('delete.retention.ms', 'long', '86400000', atLeast(0), [syn('log.cleaner.delete.retention.ms', { default: '86400000' })], 'How long delete tombstones are kept on compacted topics.'),
  def('file.delete.delay.ms', 'long', '60000', atLeast(0), [syn('log.segment.delete.delay.ms', { default: '60000' })], 'Time to wait before deleting a file from the filesystem.'),
  def('flush.messages', 'long', LONG_MAX, atLeast(1), [syn('log.flush.interval.messages')], 'Force an fsync after this many messages; the default leaves flushing to the OS.'),
  def('flush.ms', 'long', LONG_MAX, atLeast(0), [syn('log.flush.interval.ms'), syn('log.flush.scheduler.interval.ms', { default: LONG_MAX })], 'Force an fsync after this much time; the default leaves flushing to the OS.'),
  def('follower.replication.throttled.replicas', 'list', '', throttledReplicas('follower.replication.throttled.replicas'), [], 'Replicas throttled on the follower side, as partitionId:brokerId,... or *.'),
  def('index.interval.bytes', 'int', '4096', atLeast(0), [syn('log.index.interval.bytes')], 'Bytes between offset index entries.'),
  def('leader.replication.throttled.replicas', 'list', '', throttledReplicas('leader.replication.throttled.replicas'), [], 'Replicas throttled on the leader side, as partitionId:brokerId,... or *.'),
  def('local.retention.bytes', 'long', '-2', atLeast(-2), [syn('log.local.retention.bytes', { default: '-2' })], 'Local size limit with tiered storage; -2 = retention.bytes.'),
  def('local.retention.ms', 'long', '-2', atLeast(-2), [syn('log.local.retention.ms', { default: '-2' })], 'Local time limit with tiered storage; -2 = retention.ms.'),
  def('max.compaction.lag.ms', 'long', LONG_MAX, atLeast(1), [syn('log.cleaner.max.compaction.lag.ms', { default: LONG_MAX })], 'Maximum time a message stays ineligible for compaction.'),
  def('max.message.bytes', 'int', '1048588', atLeast(0), [syn('message.max.bytes')], 'Largest record batch size allowed.'),
  def('message.timestamp.after.max.ms', 'long', String(HOUR), atLeast(0), [syn('log.message.timestamp.after.max.ms', { default: String(HOUR) })], 'How far in the future a CreateTime timestamp may be (Kafka 4.0 default: one hour, KIP-1030).'),
  def('message.timestamp.before.max.ms', 'long', LONG_MAX, atLeast(0), [syn('log.message.timestamp.before.max.ms', { default: LONG_MAX })], 'How far in the past a CreateTime timestamp may be.'),
  def('message.timestamp.type', 'string', 'CreateTime', oneOf(...TIMESTAMP_TYPES), [syn('log.message.timestamp.type')], 'Whether record timestamps are the producer time or the append time.'),
  def('min.cleanable.dirty.ratio', 'double', '0.5', between(0, 1), [syn('log.cleaner.min.cleanable.ratio', { default: '0.5' })], 'Dirty share of the log that makes it eligible for compaction.'),
  def('min.compaction.lag.ms', 'long', '0', atLeast(0), [syn('log.cleaner.min.compaction.lag.ms', { default: '0' })], 'Minimum time a message stays uncompacted.'),
  def('min.insync.replicas', 'int', '1', atLeast(1), [syn('min.insync.replicas')], 'Minimum ISR size for acks=all produce to succeed.'),
  def('preallocate', 'boolean', 'false', null, [syn('log.preallocate', { default: 'false' })], 'Preallocate the file when creating a segment.'),
  def('remote.log.copy.disable', 'boolean', 'false', null, [], 'Stop copying segments to tiered storage (KIP-950).'),
  def('remote.log.delete.on.disable', 'boolean', 'false', null, [], 'Delete tiered data when tiered storage is disabled (KIP-950).'),
  def('remote.storage.enable', 'boolean', 'false', null, [], 'Tiered storage for the topic; not available on this broker.'),
  def('retention.bytes', 'long', '-1', null, [syn('log.retention.bytes')], 'Maximum partition size before old segments are deleted; -1 = no limit.'),
  def('retention.ms', 'long', '604800000', atLeast(-1), [syn('log.retention.ms'), syn('log.retention.minutes', { factor: 60_000 }), syn('log.retention.hours', { factor: HOUR })], 'Time to keep a segment before deleting it; -1 = no limit.'),
  def('segment.bytes', 'int', '1073741824', atLeast(14), [syn('log.segment.bytes')], 'Maximum size of one segment file.'),
  def('segment.index.bytes', 'int', '10485760', atLeast(4), [syn('log.index.size.max.bytes')], 'Maximum size of an offset or time index file.'),
  def('segment.jitter.ms', 'long', '0', atLeast(0), [syn('log.roll.jitter.ms'), syn('log.roll.jitter.hours', { factor: HOUR, default: '0' })], 'Random jitter subtracted from segment.ms to avoid rolling all segments at once.'),
  def('segment.ms', 'long', '604800000', atLeast(1), [syn('log.roll.ms'), syn('log.roll.hours', { factor: HOUR })], 'Maximum age of the active segment before rolling.'),
  def('unclean.leader.election.enable', 'boolean', 'false', null, [syn('unclean.leader.election.enable')], 'Allow a replica outside the ISR to become leader (data loss).'),
];

const BY_NAME = new Map(TOPIC_CONFIG_DEFS.map((d) => [d.name, d]));

export function topicConfigDef(name: string): TopicConfigDef | undefined {
  return BY_NAME.get(name);
}

/** A broker key's built-in default (null when it has none). */
function brokerDefault(s: ServerSynonym): string | null {
  const known = brokerConfigDef(s.name);
  return known ? known.default : (s.default ?? null);
}

const INTEGRAL = /^[+-]?\d+$/;
const LIMITS: Partial<Record<ConfigType, [bigint, bigint]>> = {
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** Java's Double.toString for the values a ratio takes: integral doubles print as "1.0". */
const javaDouble = (n: number) => (Number.isInteger(n) ? n.toFixed(1) : String(n));

/** ConfigDef.parseType + the key's validator. Returns the typed value and Kafka's canonical text. */
export function parseTopicConfigValue(
  def: TopicConfigDef,
  raw: string,
): { value: Parsed; text: string } | { error: string } {
  const s = raw.trim();
  const invalid = (reason: string) => ({
    error: `Invalid value ${raw} for configuration ${def.name}: ${reason}`,
  });
  let value: Parsed;
  let text: string;
  switch (def.type) {
    case 'boolean':
      if (!/^(true|false)$/i.test(s)) return invalid('Expected value to be either true or false');
      value = s.toLowerCase() === 'true';
      text = String(value);
      break;
    case 'short':
    case 'int':
    case 'long': {
      const [min, max] = LIMITS[def.type]!;
      const big = INTEGRAL.test(s) ? BigInt(s) : null;
      if (big === null || big < min || big > max)
        return invalid(`Not a number of type ${def.type.toUpperCase()}`);
      value = Number(big);
      text = big.toString();
      break;
    }
    case 'double':
      value = s === '' ? NaN : Number(s);
      if (!Number.isFinite(value)) return invalid('Not a number of type DOUBLE');
      text = javaDouble(value);
      break;
    case 'list':
      value = s === '' ? [] : s.split(',').map((x) => x.trim());
      text = value.join(',');
      break;
    default:
      value = s;
      text = s;
  }
  const reason = def.validator?.check(value);
  return reason === undefined ? { value, text } : invalid(reason);
}

/** The broker-level value of a synonym, converted to the topic key's unit; null when unset or invalid. */
function staticBrokerValue(def: TopicConfigDef, syn: ServerSynonym, broker: BrokerProps): Parsed | null {
  const raw = broker.staticProps.get(syn.name);
  if (raw === undefined) return null;
  const parsed = parseTopicConfigValue({ ...def, validator: undefined }, raw);
  if ('error' in parsed) return null;
  return scale(def, parsed.value, syn.factor);
}

function scale(def: TopicConfigDef, value: Parsed, factor = 1): Parsed {
  if (typeof value !== 'number') return value;
  const v = value * factor;
  // KafkaConfig.logRetentionTimeMillis: any negative retention means unlimited.
  return def.name === 'retention.ms' && v < 0 ? -1 : v;
}

interface Resolved {
  value: Parsed;
  text: string;
  source: TopicConfigSource;
}

function resolve(def: TopicConfigDef, broker: BrokerProps, overrides: Record<string, string>): Resolved {
  const override = overrides[def.name];
  if (override !== undefined) {
    const parsed = parseTopicConfigValue(def, override);
    if (!('error' in parsed)) return { ...parsed, source: 'DYNAMIC_TOPIC_CONFIG' };
  }
  for (const syn of def.synonyms) {
    const v = staticBrokerValue(def, syn, broker);
    if (v !== null) return { value: v, text: textOf(def, v), source: 'STATIC_BROKER_CONFIG' };
  }
  for (const syn of def.synonyms) {
    const raw = brokerDefault(syn);
    if (raw === null) continue;
    const parsed = parseTopicConfigValue({ ...def, validator: undefined }, raw);
    if ('error' in parsed) continue;
    const v = scale(def, parsed.value, syn.factor);
    return { value: v, text: textOf(def, v), source: 'DEFAULT_CONFIG' };
  }
  const parsed = parseTopicConfigValue(def, def.default);
  if ('error' in parsed) throw new Error(`bad default for topic config ${def.name}: ${parsed.error}`);
  return { ...parsed, source: 'DEFAULT_CONFIG' };
}

function textOf(def: TopicConfigDef, v: Parsed): string {
  if (Array.isArray(v)) return v.join(',');
  if (def.type === 'double' && typeof v === 'number') return javaDouble(v);
  // Long.MAX_VALUE does not survive a JS number; print it as Kafka does.
  if (typeof v === 'number' && v >= 2 ** 63) return '9223372036854775807';
  return String(v);
}

/**
 * Checks a topic's overrides as Kafka's controller does (ControllerConfigurationValidator, LogConfig.validate):
 * null values first, then unknown names, then each value, then cross-key rules against the effective config.
 */
export function validateTopicConfigs(
  overrides: Record<string, string | null>,
  broker?: BrokerProps,
): TopicConfigProblem | null {
  const nulls = Object.keys(overrides).filter((k) => overrides[k] === null);
  if (nulls.length > 0)
    return { key: nulls[0], message: `Null value not supported for topic configs: ${nulls.join(',')}` };
  for (const key of Object.keys(overrides)) {
    if (!topicConfigDef(key)) return { key, message: `Unknown topic config name: ${key}` };
  }
  for (const [key, raw] of Object.entries(overrides)) {
    const parsed = parseTopicConfigValue(topicConfigDef(key)!, raw!);
    if ('error' in parsed) return { key, message: parsed.error };
  }
  const values = overrides as Record<string, string>;
  if (values['remote.storage.enable']?.trim().toLowerCase() === 'true') {
    return {
      key: 'remote.storage.enable',
      message:
        'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.',
    };
  }
  const props = broker ?? { staticProps: new Map<string, string>() };
  const minLag = resolve(topicConfigDef('min.compaction.lag.ms')!, props, values);
  const maxLag = resolve(topicConfigDef('max.compaction.lag.ms')!, props, values);
  if ((minLag.value as number) > (maxLag.value as number)) {
    return {
      key: 'min.compaction.lag.ms',
      message: `conflict topic config setting min.compaction.lag.ms (${minLag.text}) > max.compaction.lag.ms (${maxLag.text})`,
    };
  }
  return null;
}

/** Every topic config key with its effective value and where it came from, sorted by name. */
export function describeTopicConfigs(
  broker: BrokerProps,
  overrides: Record<string, string>,
): TopicConfigEntry[] {
  return [...TOPIC_CONFIG_DEFS]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((def) => {
      const r = resolve(def, broker, overrides);
      const synonyms: TopicConfigSynonym[] = [];
      if (r.source === 'DYNAMIC_TOPIC_CONFIG')
        synonyms.push({ name: def.name, value: r.text, source: 'DYNAMIC_TOPIC_CONFIG' });
      for (const syn of def.synonyms) {
        const raw = broker.staticProps.get(syn.name);
        if (raw !== undefined) synonyms.push({ name: syn.name, value: raw, source: 'STATIC_BROKER_CONFIG' });
      }
      for (const syn of def.synonyms) {
        const raw = brokerDefault(syn);
        if (raw !== null) synonyms.push({ name: syn.name, value: raw, source: 'DEFAULT_CONFIG' });
      }
      return {
        name: def.name,
        value: r.text,
        source: r.source,
        isSensitive: false,
        readOnly: false,
        type: def.type,
        doc: def.doc,
        synonyms,
      };
    });
}

/** The LogConfig a topic's logs run with: broker defaults overridden by the topic's configs. */
export function effectiveLogConfig(broker: BrokerProps, overrides: Record<string, string>): LogConfig {
  const get = (name: string) => resolve(topicConfigDef(name)!, broker, overrides).value;
  const num = (name: string) => get(name) as number;
  return {
    segmentBytes: num('segment.bytes'),
    segmentMs: num('segment.ms'),
    segmentIndexBytes: num('segment.index.bytes'),
    indexIntervalBytes: num('index.interval.bytes'),
    retentionMs: num('retention.ms'),
    retentionBytes: num('retention.bytes'),
    cleanupPolicy: get('cleanup.policy') as ('delete' | 'compact')[],
    deleteRetentionMs: num('delete.retention.ms'),
    minCompactionLagMs: num('min.compaction.lag.ms'),
    maxCompactionLagMs: num('max.compaction.lag.ms'),
    minCleanableDirtyRatio: num('min.cleanable.dirty.ratio'),
    maxMessageBytes: num('max.message.bytes'),
    messageTimestampType: get('message.timestamp.type') as LogConfig['messageTimestampType'],
    messageTimestampBeforeMaxMs: num('message.timestamp.before.max.ms'),
    messageTimestampAfterMaxMs: num('message.timestamp.after.max.ms'),
    minInsyncReplicas: num('min.insync.replicas'),
    compressionType: get('compression.type') as string,
    flushMessages: num('flush.messages'),
    flushMs: num('flush.ms'),
    fileDeleteDelayMs: num('file.delete.delay.ms'),
    preallocate: get('preallocate') as boolean,
  };
}
