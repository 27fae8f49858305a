import {
  ConfigSource as KafkaConfigSource,
  type Admin,
  type ConfigEntries,
  type ITopicMetadata,
} from 'kafkajs';
import { kafkaErrorType, notFound } from '../errors';
import type { ConfigEntry, ConfigSource } from '../schemas/common';

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// Requests per cluster fanned out at once: enough to hide loopback latency, few enough not to queue
// behind kafkajs' in-flight limit per connection.
export const FAN_OUT = 16;

// Kafka's own internal topics (Topic.INTERNAL_TOPICS) plus the double-underscore convention that
// Kafka Streams, Connect and Schema Registry follow for their bookkeeping topics.
export function isInternalTopic(name: string): boolean {
  return name.startsWith('__');
}

export interface Watermarks {
  low: bigint;
  high: bigint;
}

/** Log start offset and high watermark of every partition of `topic` (two ListOffsets per leader). */
export async function topicWatermarks(admin: Admin, topic: string): Promise<Map<number, Watermarks>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
}

/**
 * Watermarks of several topics that exist (per the all-topics Metadata, or `known` when the caller
 * has it). A topic whose leader is down is left out; UNKNOWN_TOPIC_OR_PARTITION is rethrown, since
 * for a topic that exists it means stale client metadata, which withAdmin retries on a new client.
 */
export async function watermarksOf(
  admin: Admin,
  topics: Iterable<string>,
  known?: ReadonlySet<string>,
): Promise<Map<string, Map<number, Watermarks>>> {
  const exists = known ?? new Set((await admin.fetchTopicMetadata()).topics.map((t) => t.name));
  const wanted = [...new Set(topics)].filter((t) => exists.has(t));
  const results = await mapLimit(wanted, FAN_OUT, async (t) => {
    try {
      return [t, await topicWatermarks(admin, t)] as const;
    } catch (err) {
      if (kafkaErrorType(err) === 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
      return undefined;
    }
  });
  return new Map(results.filter((r) => r !== undefined));
}

/** Metadata of one topic, or 404 UNKNOWN_TOPIC_OR_PARTITION. */
export async function topicMetadata(admin: Admin, topic: string): Promise<ITopicMetadata> {
  // Metadata for named topics does not touch kafkajs' metadata targets, so this answer is about
  // `topic` alone; the ServiceError also keeps withAdmin from retrying a genuine 404.
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const found = topics.find((t) => t.name === topic);
    if (found) return found;
  } catch (err) {
    if (kafkaErrorType(err) !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
  }
  throw notFound('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' does not exist`);
}

const SOURCE_NAMES: Record<number, ConfigSource> = {
  [KafkaConfigSource.UNKNOWN]: 'UNKNOWN',
  [KafkaConfigSource.TOPIC_CONFIG]: 'DYNAMIC_TOPIC_CONFIG',
  [KafkaConfigSource.DYNAMIC_BROKER_CONFIG]: 'DYNAMIC_BROKER_CONFIG',
  [KafkaConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG]: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  [KafkaConfigSource.STATIC_BROKER_CONFIG]: 'STATIC_BROKER_CONFIG',
  [KafkaConfigSource.DEFAULT_CONFIG]: 'DEFAULT_CONFIG',
  [KafkaConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG]: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'CLIENT_METRICS_CONFIG',
  8: 'GROUP_CONFIG',
};

/** kafkajs' config entry in Kafka's vocabulary (ConfigSource names as in DescribeConfigsResponse). */
export function toConfigEntry(e: ConfigEntries): ConfigEntry {
  return {
    name: e.configName,
    value: e.isSensitive ? null : (e.configValue ?? null),
    source: SOURCE_NAMES[e.configSource] ?? 'UNKNOWN',
    isDefault: e.isDefault,
    isSensitive: e.isSensitive,
    readOnly: e.readOnly,
  };
}

export function sortConfigs(configs: ConfigEntry[]): ConfigEntry[] {
  return configs.sort((a, b) => a.name.localeCompare(b.name));
}
