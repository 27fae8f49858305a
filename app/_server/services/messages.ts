import { Partitioners, type IHeaders, type Message as KafkaMessageInput } from 'kafkajs';
import { ServiceError } from '../errors';
import { withAdmin, withProducer } from '../kafka';
import type {
  Message,
  MessagesQuery,
  MessagesResponse,
  ProduceBody,
  ProduceResponse,
} from '../schemas/messages';
import { readRanges, type ReadMessage, type ReadRange } from './message-reader';
import { topicMetadata, topicWatermarks, type Watermarks } from './shared';
import { unknownPartitions } from './topic-admin';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(buf: Buffer | null | undefined): string | null {
  if (!buf) return null;
  try {
    return utf8.decode(buf);
  } catch {
    return null;
  }
}

function headerList(headers: IHeaders | undefined): Message['headers'] {
  const out: Message['headers'] = [];
  for (const [key, raw] of Object.entries(headers ?? {})) {
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      const buf = v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v);
      out.push({ key, value: text(buf), valueBase64: buf ? buf.toString('base64') : null });
    }
  }
  return out;
}

function toMessage({ partition, message: m }: ReadMessage): Message {
  return {
    partition,
    offset: m.offset,
    timestamp: Number(m.timestamp),
    key: text(m.key),
    value: text(m.value),
    headers: headerList(m.headers),
    keyBase64: m.key ? m.key.toString('base64') : null,
    valueBase64: m.value ? m.value.toString('base64') : null,
  };
}

interface Plan {
  all: number[];
  ranges: ReadRange[];
  watermarks: Map<number, Watermarks>;
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Where each partition's read starts and stops, from one snapshot of the watermarks. */
async function plan(topic: string, q: MessagesQuery): Promise<Plan> {
  return withAdmin(async (admin) => {
    const meta = await topicMetadata(admin, topic);
    const all = meta.partitions.map((p) => p.partitionId).sort((a, b) => a - b);
    if (q.partition !== undefined && !all.includes(q.partition)) {
      throw unknownPartitions(topic, [q.partition], all.length, 'partition');
    }
    const chosen = q.partition !== undefined ? [q.partition] : all;
    const watermarks = await topicWatermarks(admin, topic);
    const limit = BigInt(q.limit);
    const byTime =
      q.offset === undefined && q.timestamp !== undefined
        ? new Map(
            (await admin.fetchTopicOffsetsByTimestamp(topic, q.timestamp)).map((o) => [
              o.partition,
              BigInt(o.offset),
            ]),
          )
        : undefined;
    const ranges = chosen.map((partition): ReadRange => {
      const { low, high } = watermarks.get(partition) ?? { low: 0n, high: 0n };
      let from: bigint;
      if (q.offset !== undefined) {
        if (q.partition !== undefined && (q.offset < low || q.offset > high)) {
          throw new ServiceError(
            'OFFSET_OUT_OF_RANGE',
            `Offset ${q.offset} is out of range for partition ${partition} of '${topic}': it holds offsets ${low} to ${high - 1n} (high watermark ${high})`,
            400,
            { field: 'offset' },
          );
        }
        from = q.offset < low ? low : q.offset > high ? high : q.offset;
      } else if (byTime) {
        from = byTime.get(partition) ?? high;
        if (from < low) from = low;
      } else if (q.position === 'oldest') {
        from = low;
      } else {
        from = high - limit > low ? high - limit : low;
      }
      return { partition, from, to: minBig(high, from + limit) };
    });
    return { all, ranges, watermarks };
  });
}

function compareMessages(single: boolean) {
  return (a: Message, b: Message) => {
    if (!single && a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
    if (a.partition !== b.partition) return a.partition - b.partition;
    const d = BigInt(a.offset) - BigInt(b.offset);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  };
}

/**
 * Browses a topic: newest = the last `limit` records across the chosen partitions; oldest, from an
 * offset or from a timestamp = the first `limit` records from there. Values are decoded as UTF-8
 * where valid, with base64 always present for binary-safe display.
 */
export async function browseMessages(topic: string, q: MessagesQuery): Promise<MessagesResponse> {
  const { all, ranges, watermarks } = await plan(topic, q);
  const read = await readRanges(topic, all, ranges);
  const single = ranges.length === 1;
  const sorted = read.map(toMessage).sort(compareMessages(single));
  const newest = q.offset === undefined && q.timestamp === undefined && q.position === 'newest';
  const messages = newest ? sorted.slice(-q.limit) : sorted.slice(0, q.limit);
  return {
    messages,
    partitions: ranges.map(({ partition }) => ({
      partition,
      low: (watermarks.get(partition)?.low ?? 0n).toString(),
      high: (watermarks.get(partition)?.high ?? 0n).toString(),
    })),
  };
}

// Java-compatible: murmur2 of the key, round-robin without one. One instance, so round-robin rotates.
const partitioner = Partitioners.DefaultPartitioner();

/**
 * Produces `count` copies of one record (acks=all). Partitions are chosen here rather than in
 * kafkajs, so each copy's offset is known: a partition's records in one request get consecutive
 * offsets from the base offset the broker returns, in the order they were sent.
 */
export async function produceMessages(topic: string, body: ProduceBody): Promise<ProduceResponse> {
  const meta = await withAdmin((admin) => topicMetadata(admin, topic));
  const ids = meta.partitions.map((p) => p.partitionId);
  if (body.partition !== undefined && !ids.includes(body.partition)) {
    throw unknownPartitions(topic, [body.partition], ids.length, 'partition');
  }
  const messages: (KafkaMessageInput & { partition: number })[] = [];
  for (let i = 0; i < body.count; i++) {
    const message: KafkaMessageInput = { key: body.key ?? null, value: body.value, headers: body.headers };
    const partition = body.partition ?? partitioner({ topic, partitionMetadata: meta.partitions, message });
    messages.push({ ...message, partition });
  }
  const metadata = await withProducer((producer) =>
    producer.send({ topic, acks: -1, timeout: 10_000, messages }),
  );
  const base = new Map(metadata.map((m) => [m.partition, BigInt(m.baseOffset ?? '-1')]));
  const seen = new Map<number, bigint>();
  const results = messages.map(({ partition }) => {
    const index = seen.get(partition) ?? 0n;
    seen.set(partition, index + 1n);
    return { partition, offset: ((base.get(partition) ?? -1n) + index).toString() };
  });
  return { results };
}
