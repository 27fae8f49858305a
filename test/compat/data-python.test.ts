/**
 * confluent-kafka-python (librdkafka 2.0.2) Producer -> broker -> Consumer (assign() with explicit
 * offsets, no group membership), per codec: 10,000 records with binary keys and values (non-UTF-8 bytes, empty
 * values, null values / tombstones, null and empty keys) and per-record headers (duplicates, null and
 * empty values) must come back byte-identical, at the partition and offset each delivery report named,
 * offsets contiguous from 0, produce order kept per partition. Then across clients: python reads what
 * kcat wrote, kcat reads what python wrote. Scripts: test/compat/python/data_clients.py.
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
  pyConsume,
  pyProduce,
  randomBytes,
  rawFetchAll,
  runProcess,
  type Header,
  type Rec,
  type PyDelivery,
} from './data-common';

const PARTITIONS = 3;
const RECORDS = 10_000;

/** 10,000 distinct records: binary keys from a pool of 300, tombstones, empties, assorted headers. */
function makeRecords(seed: number, n = RECORDS): Rec[] {
  const rnd = prng(seed);
  const keys = Array.from({ length: 300 }, (_, i) =>
    i % 4 === 0
      ? Buffer.from(`kéy-${i}`)
      : Buffer.concat([Buffer.from([0xff, 0xfe, i & 0xff]), randomBytes(rnd, 1 + (i % 13))]),
  );
  const headerValue = (): Buffer | null => {
    const r = rnd();
    if (r < 0.15) return null;
    if (r < 0.3) return Buffer.alloc(0);
    if (r < 0.6) return Buffer.from(`ü✓ ${Math.floor(rnd() * 1000)}`);
    return randomBytes(rnd, Math.floor(rnd() * 40));
  };
  const out: Rec[] = [];
  for (let i = 0; i < n; i++) {
    const roll = rnd();
    const headers: Header[] = [];
    const hn = Math.floor(rnd() * 5);
    for (let j = 0; j < hn; j++)
      headers.push([['trace', 'ü-name', 'dup', 'dup', 'bin'][Math.floor(rnd() * 5)], headerValue()]);
    if (roll < 0.04) {
      out.push({ key: Buffer.from(`tomb-${i}`), value: null, headers }); // tombstone
    } else if (roll < 0.08) {
      out.push({ key: Buffer.from(`empty-${i}`), value: Buffer.alloc(0), headers });
    } else {
      const key = roll < 0.13 ? null : roll < 0.16 ? Buffer.alloc(0) : keys[Math.floor(rnd() * keys.length)];
      const text = Buffer.from(`${i}|python record ${i}; `.repeat(1 + Math.floor(rnd() * 8)));
      out.push({ key, value: Buffer.concat([text, randomBytes(rnd, Math.floor(rnd() * 64))]), headers });
    }
  }
  return out;
}

let broker: TestBroker;
const producedBy = new Map<string, Rec[]>();

beforeAll(async () => {
  broker = await withBroker();
});
afterAll(() => broker?.cleanup());

describe.each(CODECS.map((c, i) => [c, i] as const))(
  'python Producer(compression.type=%s) -> python Consumer',
  (codec, codecId) => {
    const topic = `py-data-${codec}`;
    let produced: Rec[] = [];
    let delivery: PyDelivery;
    let before = 0;
    let after = 0;

    beforeAll(async () => {
      await createTopic(broker, topic, PARTITIONS);
      produced = makeRecords(2000 + codecId);
      producedBy.set(codec, produced);
      before = Date.now();
      delivery = await pyProduce(broker.bootstrap, topic, codec, produced);
      after = Date.now();
    });

    it('every record is delivered, at the partition librdkafka chose', () => {
      expect(delivery.errors).toEqual([]);
      expect(delivery.undelivered).toBe(0);
      const failed = delivery.deliveries.flatMap((d, i) => (d[2] === null ? [] : [`${i}: ${d[2]}`]));
      expect(failed.slice(0, 5)).toEqual([]);
      const misplaced = produced.flatMap((r, i) => {
        const want = librdkafkaPartition(r.key, PARTITIONS);
        return want === null || want === delivery.deliveries[i][0] ? [] : [i];
      });
      expect(misplaced.slice(0, 5)).toEqual([]);
    });

    it('the consumer gets them back byte-identical at the delivered partitions and offsets', async () => {
      const stored = await pyConsume(broker.bootstrap, topic);
      const { partitionOf, offsetOf, byPartition } = expectRoundTrip(produced, stored, PARTITIONS);
      for (const [p, list] of byPartition) expect(list.length, `partition ${p}`).toBeGreaterThan(RECORDS / 5);
      const moved = delivery.deliveries.flatMap(([p, o], i) =>
        p === partitionOf[i] && o === offsetOf[i]
          ? []
          : [`${i}: delivered p${p}@${o}, stored p${partitionOf[i]}@${offsetOf[i]}`],
      );
      expect(moved.slice(0, 5)).toEqual([]);
      expect(expectKeysStick(produced, partitionOf, true)).toBeGreaterThan(250);
      const badTime = stored.filter(
        (r) => r.timestampType !== 'create' || r.timestamp < before - 1 || r.timestamp > after + 1,
      );
      expect(badTime.slice(0, 3)).toEqual([]);
    });

    it(`the broker holds the same records in ${codec} batches (raw Fetch)`, async () => {
      const fetched = await rawFetchAll(broker, topic, PARTITIONS);
      expectRoundTrip(produced, fetched.records, PARTITIONS);
      // librdkafka < 2.10 compresses with gzip/snappy/lz4 only when ApiVersions lists Produce v0 (and, for
      // lz4, FindCoordinator): Kafka 4 keeps advertising Produce v0-v2 for that reason (KAFKA-18659).
      // librdkafka also sends a batch uncompressed when compressing it does not make it smaller
      // (rd_kafka_msgset_writer_compress), which happens to tiny batches under load: allow those, but
      // most batches, and every large one, must carry the codec.
      const ids = fetched.batches.map((b) => b.header.attributes & 7);
      expect(
        new Set(ids).size <= 2 && ids.every((id) => id === codecId || id === 0),
        `codec ids ${[...new Set(ids)]}`,
      ).toBe(true);
      expect(ids.filter((id) => id === codecId).length).toBeGreaterThan(ids.length / 2);
      const bigPlain = fetched.batches.filter(
        (b) => (b.header.attributes & 7) === 0 && b.header.recordCount > 50,
      );
      if (codecId !== 0) expect(bigPlain.length, 'uncompressed batches of more than 50 records').toBe(0);
    });
  },
);

describe('across clients', () => {
  it('kcat -C -J reads what the python producer wrote (binary, tombstones, null headers) byte-identical', async () => {
    const produced = producedBy.get('zstd');
    expect(produced).toBeDefined();
    const stored = await kcatConsume(broker.bootstrap, 'py-data-zstd');
    expectRoundTrip(produced!, stored, PARTITIONS);
  });

  it('the python consumer reads what kcat -P wrote byte-identical', async () => {
    const topic = 'kcat-to-py';
    await createTopic(broker, topic, PARTITIONS);
    const rnd = prng(77);
    const produced: Rec[] = [];
    const lines: Buffer[] = [];
    for (let i = 0; i < 3_000; i++) {
      const key = Buffer.from(`k${Math.floor(rnd() * 100)}-✓`);
      // Any byte but kcat's delimiters (tab between key and value, newline between records).
      const value = Buffer.concat([
        Buffer.from(`${i}:`),
        randomBytes(rnd, Math.floor(rnd() * 80), KCAT_DELIMITERS),
      ]);
      lines.push(Buffer.concat([key, Buffer.from('\t'), value, Buffer.from('\n')]));
      produced.push({
        key,
        value,
        headers: [
          ['from', Buffer.from('kcat')],
          ['nul', null],
        ],
      });
    }
    await runProcess(
      'kcat',
      ['-b', broker.bootstrap, '-P', '-t', topic, '-K', '\t', '-z', 'zstd', '-H', 'from=kcat', '-H', 'nul'],
      Buffer.concat(lines),
    );
    const stored = await pyConsume(broker.bootstrap, topic);
    const { partitionOf } = expectRoundTrip(produced, stored, PARTITIONS);
    expect(expectKeysStick(produced, partitionOf, true)).toBe(100);
  });
});
