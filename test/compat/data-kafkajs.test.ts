/**
 * kafkajs 2.2.4 producer -> broker, per codec (gzip built in; snappy, lz4 and zstd through
 * kafkajs-codecs.ts): 10,000 records with keys, headers and explicit timestamps in ten sends whose acks
 * cycle 1, -1, 0, read back with kcat -C -J (and python for one codec) and raw Fetch. kafkajs's consumer
 * needs consumer groups, so other clients read. Checks: byte-identical records, contiguous offsets,
 * produce order per partition, the partition kafkajs's DefaultPartitioner (murmur2) picked, the base
 * offsets in kafkajs's RecordMetadata, batches in the codec asked for, and admin.fetchTopicOffsets /
 * fetchTopicOffsetsByTimestamp against the stored data.
 */
import {
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type IHeaders,
  type Message,
  type Producer,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import {
  CODECS,
  createTopic,
  expectKeysStick,
  expectRoundTrip,
  kcatConsume,
  listOffsets,
  prng,
  pyConsume,
  randomBytes,
  rawFetchAll,
  type Header,
  type FetchedBatch,
  type Rec,
  type StoredRec,
} from './data-common';
import { registerKafkajsCodecs } from './kafkajs-codecs';

const PARTITIONS = 3;
const RECORDS = 10_000;
const SENDS = 10;
const ACKS = [1, -1, 0] as const;

interface Data {
  produced: Rec[];
  messages: Message[];
  timestamps: number[];
  /** Per send: acks used and, unless acks=0, kafkajs's RecordMetadata. */
  sends: {
    acks: number;
    first: number;
    meta: { partition: number; baseOffset?: string; errorCode: number }[];
  }[];
}

/** 10,000 distinct kafkajs messages and the records they must become. */
function makeMessages(seed: number, base: number): Omit<Data, 'sends'> {
  const rnd = prng(seed);
  const keys: (string | Buffer)[] = Array.from({ length: 250 }, (_, i) =>
    i % 2 === 0 ? `user-${i}-ü` : Buffer.concat([Buffer.from([0x80, i & 0xff]), randomBytes(rnd, 6)]),
  );
  const produced: Rec[] = [];
  const messages: Message[] = [];
  const timestamps: number[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const roll = rnd();
    let key: string | Buffer | null;
    let value: string | Buffer | null;
    if (roll < 0.03) [key, value] = [`tomb-${i}`, null];
    else if (roll < 0.06) [key, value] = [`empty-${i}`, Buffer.alloc(0)];
    else {
      key = roll < 0.1 ? null : keys[Math.floor(rnd() * keys.length)];
      const text = `${i}# kafkajs record ${i} `.repeat(1 + Math.floor(rnd() * 6));
      value =
        rnd() < 0.5 ? text : Buffer.concat([Buffer.from(text), randomBytes(rnd, Math.floor(rnd() * 48))]);
    }
    // kafkajs writes an object's headers key by key, array values as repeated keys; it cannot send null.
    const headers: IHeaders = {};
    const recHeaders: Header[] = [];
    if (rnd() < 0.7) {
      headers['trace-id'] = `t-${i}`;
      headers['dup'] = [Buffer.from('one'), 'twö'];
      if (rnd() < 0.3) headers['bin'] = randomBytes(rnd, 12);
      if (rnd() < 0.2) headers['empty'] = '';
      for (const [k, v] of Object.entries(headers))
        for (const x of Array.isArray(v) ? v : [v]) recHeaders.push([k, Buffer.from(x as string | Buffer)]);
    }
    const timestamp = base + i;
    timestamps.push(timestamp);
    messages.push({ key, value, headers, timestamp: String(timestamp) });
    const buf = (x: string | Buffer | null) => (x === null ? null : Buffer.from(x));
    produced.push({ key: buf(key), value: buf(value), headers: recHeaders });
  }
  return { produced, messages, timestamps };
}

let broker: TestBroker;
let kafka: Kafka;
let producer: Producer;
let admin: Admin;
const dataBy = new Map<string, Data>();

beforeAll(async () => {
  registerKafkajsCodecs();
  broker = await withBroker();
  kafka = new Kafka({
    clientId: 'compat-kafkajs-data',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  });
  producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await broker?.cleanup();
});

/** acks=0 sends resolve before the broker appends: wait until the high watermarks add up. */
async function waitForRecords(topic: string, n: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ends = await listOffsets(broker, topic, PARTITIONS, -1n);
    if (ends.reduce((a, b) => a + b, 0) >= n || Date.now() > deadline) return ends;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function partitionFor(message: Message, topic: string): number {
  const partitioner = Partitioners.DefaultPartitioner();
  return partitioner({
    topic,
    partitionMetadata: Array.from({ length: PARTITIONS }, (_, p) => ({
      partitionId: p,
      leader: broker.nodeId,
      partitionErrorCode: 0,
      replicas: [broker.nodeId],
      isr: [broker.nodeId],
    })),
    message,
  });
}

describe.each(CODECS.map((c, i) => [c, i] as const))('kafkajs producer, compression %s', (codec, codecId) => {
  const topic = `kjs-data-${codec}`;
  let data: Data;
  /** What raw Fetch reads back, and where each produced record landed. */
  let fetched: { records: StoredRec[]; batches: FetchedBatch[] };
  let partitionOf: number[];
  let offsetOf: number[];

  beforeAll(async () => {
    await createTopic(broker, topic, PARTITIONS);
    data = { ...makeMessages(3000 + codecId, Date.now() - 60_000), sends: [] };
    const per = RECORDS / SENDS;
    for (let s = 0; s < SENDS; s++) {
      const acks = ACKS[s % ACKS.length];
      const meta = await producer.send({
        topic,
        acks,
        compression: codecId,
        messages: data.messages.slice(s * per, (s + 1) * per),
      });
      data.sends.push({ acks, first: s * per, meta });
    }
    dataBy.set(codec, data);
    await waitForRecords(topic, RECORDS);
    fetched = await rawFetchAll(broker, topic, PARTITIONS);
    ({ partitionOf, offsetOf } = expectRoundTrip(data.produced, fetched.records, PARTITIONS));
  });

  it('kcat reads back all 10,000 records byte-identical, in order, with the timestamps sent', async () => {
    const { produced, timestamps } = data;
    const stored = await kcatConsume(broker.bootstrap, topic);
    const round = expectRoundTrip(produced, stored, PARTITIONS);
    expect(round.partitionOf).toEqual(partitionOf);
    expect(round.offsetOf).toEqual(offsetOf);
    const at = new Map(stored.map((r) => [`${r.partition}@${r.offset}`, r]));
    const wrong = produced.flatMap((_, i) => {
      const r = at.get(`${partitionOf[i]}@${offsetOf[i]}`)!;
      return r.timestampType === 'create' && r.timestamp === timestamps[i]
        ? []
        : [`${i}: ${r.timestampType} ${r.timestamp}`];
    });
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  it("same key -> same partition, the one kafkajs's DefaultPartitioner (murmur2) picks", () => {
    expect(expectKeysStick(data.produced, partitionOf, false)).toBeGreaterThan(200);
    const misplaced = data.messages.flatMap((m, i) => {
      if (m.key === null || m.key === undefined) return [];
      const want = partitionFor(m, topic);
      return want === partitionOf[i] ? [] : [`${i}: p${partitionOf[i]}, kafkajs chose p${want}`];
    });
    expect(misplaced.slice(0, 5)).toEqual([]);
  });

  it('acks 1 and -1 report the base offset each partition batch got; acks 0 data is stored too', () => {
    const per = RECORDS / SENDS;
    for (const send of data.sends) {
      const firstOffset = new Map<number, number>();
      for (let i = send.first; i < send.first + per; i++)
        if (!firstOffset.has(partitionOf[i])) firstOffset.set(partitionOf[i], offsetOf[i]);
      expect(firstOffset.size).toBe(PARTITIONS);
      if (send.acks === 0) {
        // No response for acks=0, so kafkajs has no metadata to give.
        expect(send.meta).toEqual([]);
        continue;
      }
      expect(send.meta.map((m) => m.errorCode)).toEqual([0, 0, 0]);
      const got = new Map(send.meta.map((m) => [m.partition, Number(m.baseOffset)]));
      expect(got, `send at ${send.first} with acks=${send.acks}`).toEqual(firstOffset);
    }
  });

  it(`the broker holds ${codec} batches, one per partition per send`, () => {
    const codecs = [...new Set(fetched.batches.map((b) => b.header.attributes & 7))];
    expect(codecs).toEqual([codecId]);
    expect(fetched.batches.length).toBe(SENDS * PARTITIONS);
  });

  it('admin.fetchTopicOffsets and fetchTopicOffsetsByTimestamp match the stored data', async () => {
    const { timestamps } = data;
    const counts = Array.from({ length: PARTITIONS }, (_, p) => partitionOf.filter((x) => x === p).length);
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.sort((a, b) => a.partition - b.partition)).toEqual(
      counts.map((n, p) => ({ partition: p, offset: String(n), high: String(n), low: '0' })),
    );
    const first = timestamps[0];
    for (const at of [first - 1000, first, first + 1, first + 4321, first + 9998, first + RECORDS + 1000]) {
      // Kafka: the earliest offset whose timestamp is >= at; none -> kafkajs substitutes the high watermark.
      const want = counts.map((n, p) => {
        let best = n;
        timestamps.forEach((ts, i) => {
          if (partitionOf[i] === p && ts >= at && offsetOf[i] < best) best = offsetOf[i];
        });
        return { partition: p, offset: String(best) };
      });
      const got = await admin.fetchTopicOffsetsByTimestamp(topic, at);
      expect(
        got.sort((a, b) => a.partition - b.partition),
        `timestamp first + ${at - first}`,
      ).toEqual(want);
    }
  });
});

describe('kafkajs -> python consumer', () => {
  it('confluent-kafka reads what kafkajs wrote with zstd byte-identical', async () => {
    const data = dataBy.get('zstd');
    expect(data).toBeDefined();
    const stored = await pyConsume(broker.bootstrap, 'kjs-data-zstd');
    expectRoundTrip(data!.produced, stored, PARTITIONS);
  });
});
