/**
 * kcat (librdkafka 2.0.2) produce -> broker -> kcat consume, per codec: 10,000 keyed records with
 * headers go in with `kcat -P -K`, come back with `kcat -C -e -J` (simple consumer, no group) and must
 * be byte-identical, with contiguous offsets from 0 per partition, produce order kept per partition,
 * every key in the partition librdkafka's consistent_random partitioner picked, and every stored batch
 * compressed with the codec asked for (read back with raw Fetch).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import {
  CODECS,
  createTopic,
  expectKeysStick,
  expectRoundTrip,
  kcatConsume,
  librdkafkaPartition,
  KCAT_DELIMITERS,
  prng,
  randomBytes,
  rawFetchAll,
  runProcess,
  type CodecName,
  type Header,
  type Rec,
} from './data-common';

const PARTITIONS = 3;
const RECORDS = 10_000;

/** One `kcat -P` run: its records, the -H headers every record of the run carries, and -Z. */
interface KcatRun {
  lines: Buffer[];
  records: Rec[];
  headers: Header[];
  nullEmpty: boolean;
}

const HEADER_SETS: Header[][] = [
  [],
  [
    ['a', Buffer.from('1')],
    ['b', Buffer.from('ü✓ value')],
  ],
  [
    ['dup', Buffer.from('x')],
    ['dup', Buffer.from('y')],
    ['nul', null],
    ['emp', Buffer.alloc(0)],
  ],
  [['long', Buffer.from('h'.repeat(300))]],
];

/** Bytes with no tab or newline (kcat's key and message delimiters), often not valid UTF-8. */
const lineSafeBytes = (rnd: () => number, n: number): Buffer => randomBytes(rnd, n, KCAT_DELIMITERS);

const KEY_POOL = (rnd: () => number): Buffer[] =>
  Array.from({ length: 300 }, (_, i) =>
    i % 10 === 0
      ? Buffer.concat([Buffer.from(`bin${i}-`), lineSafeBytes(rnd, 8)])
      : Buffer.from(i % 3 === 0 ? `clé-${i}-✓` : `key-${i}`),
  );

/** 10,000 distinct records over four kcat runs (each run its own headers; runs 1 and 3 with -Z). */
function makeRuns(seed: number): KcatRun[] {
  const rnd = prng(seed);
  const keys = KEY_POOL(rnd);
  const runs: KcatRun[] = HEADER_SETS.map((headers, r) => ({
    lines: [],
    records: [],
    headers,
    nullEmpty: r % 2 === 1,
  }));
  for (let i = 0; i < RECORDS; i++) {
    const run = runs[Math.floor((i * runs.length) / RECORDS)];
    const roll = rnd();
    let key: Buffer;
    let value: Buffer;
    if (roll < 0.03) {
      // Empty value (a tombstone under -Z): the key alone names the record.
      key = Buffer.from(`tomb-${i}`);
      value = Buffer.alloc(0);
    } else {
      key = roll < 0.08 ? Buffer.alloc(0) : keys[Math.floor(rnd() * keys.length)];
      // Compressible text plus a few arbitrary bytes, so every codec really compresses.
      const text = `${i}|record ${i} of the kcat data set; `.repeat(1 + Math.floor(rnd() * 6));
      value = Buffer.concat([Buffer.from(text), lineSafeBytes(rnd, Math.floor(rnd() * 24))]);
    }
    run.lines.push(Buffer.concat([key, Buffer.from('\t'), value, Buffer.from('\n')]));
    const asNull = (b: Buffer) => (run.nullEmpty && b.length === 0 ? null : b);
    run.records.push({ key: asNull(key), value: asNull(value), headers: run.headers });
  }
  return runs;
}

async function kcatProduce(bootstrap: string, topic: string, codec: CodecName, run: KcatRun): Promise<void> {
  const args = ['-b', bootstrap, '-P', '-t', topic, '-K', '\t', '-z', codec, '-X', 'linger.ms=20'];
  for (const [k, v] of run.headers) args.push('-H', v === null ? k : `${k}=${v.toString('utf8')}`);
  if (run.nullEmpty) args.push('-Z');
  const { stderr } = await runProcess('kcat', args, Buffer.concat(run.lines));
  expect(stderr).not.toMatch(/fail|error/i);
}

let broker: TestBroker;

beforeAll(async () => {
  broker = await withBroker();
});
afterAll(() => broker?.cleanup());

interface Produced {
  produced: Rec[];
  runs: number;
  before: number;
  after: number;
}

describe.each(CODECS.map((c, i) => [c, i] as const))('kcat -P -z %s -> kcat -C -e -J', (codec, codecId) => {
  const topic = `kcat-data-${codec}`;
  let data: Produced | undefined;

  beforeAll(async () => {
    await createTopic(broker, topic, PARTITIONS);
    const runs = makeRuns(1000 + codecId);
    const before = Date.now();
    for (const run of runs) await kcatProduce(broker.bootstrap, topic, codec, run);
    data = { produced: runs.flatMap((r) => r.records), runs: runs.length, before, after: Date.now() };
  });

  it('10,000 records with keys and headers come back byte-identical, in order, keyed to one partition', async () => {
    const { produced, before, after } = data!;
    const stored = await kcatConsume(broker.bootstrap, topic);
    const { partitionOf, byPartition } = expectRoundTrip(produced, stored, PARTITIONS);
    for (const [p, list] of byPartition) expect(list.length, `partition ${p}`).toBeGreaterThan(RECORDS / 5);

    // Same key, same partition, and the very partition librdkafka's partitioner computes.
    expect(expectKeysStick(produced, partitionOf, true)).toBeGreaterThan(250);
    const misplaced = produced.flatMap((r, i) => {
      const want = librdkafkaPartition(r.key, PARTITIONS);
      return want === null || want === partitionOf[i] ? [] : [`${i}: p${partitionOf[i]}, want p${want}`];
    });
    expect(misplaced.slice(0, 5)).toEqual([]);

    for (const r of stored) {
      expect(r.timestampType).toBe('create');
      expect(r.timestamp).toBeGreaterThanOrEqual(before - 1);
      expect(r.timestamp).toBeLessThanOrEqual(after + 1);
    }
  });

  it(`the broker holds the same records in ${codec} batches (raw Fetch)`, async () => {
    const { produced, runs } = data!;
    const fetched = await rawFetchAll(broker, topic, PARTITIONS);
    expectRoundTrip(produced, fetched.records, PARTITIONS);
    expect(fetched.batches.length).toBeGreaterThanOrEqual(PARTITIONS * runs);
    // librdkafka < 2.10 compresses with gzip/snappy/lz4 only when ApiVersions lists Produce v0 (and, for
    // lz4, FindCoordinator): Kafka 4 keeps advertising Produce v0-v2 for that reason (KAFKA-18659).
    const codecs = [...new Set(fetched.batches.map((b) => b.header.attributes & 7))];
    expect(codecs, `codec ids of the stored batches (${codec} = ${codecId})`).toEqual([codecId]);
  });
});
