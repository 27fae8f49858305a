/**
 * Batches written by real client libraries: librdkafka (captured from kcat and confluent-kafka-python by
 * fixtures/capture.ts), kafkajs and @platformatic/kafka (their own encoders, run here). And the reverse:
 * batches from encodeBatch read back by the kafkajs and @platformatic/kafka decoders.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compressSync as rawSnappy } from 'snappy';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';
import {
  createRecordsBatch,
  NumericMap,
  readRecordsBatch,
  Reader as PlatformaticReader,
} from '@platformatic/kafka';
import { Reader } from '../reader';
import { readProduceRequest } from '../generated/produce';
import { Compression, RECORDS_OFFSET, readBatchHeader } from './batch';
import { isXerialSnappy } from './compression';
import { decodeRecords, encodeBatch } from './records';
import { validateProduceRecords } from './validate';

const require = createRequire(import.meta.url);
const OPTS = { maxMessageBytes: 1 << 20 };
const NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

function accept(blob: Buffer): ReturnType<typeof decodeRecords> {
  const v = validateProduceRecords(blob, OPTS);
  if (!v.ok) throw new Error(`${v.errorCode}: ${v.message}`);
  expect(v.batches.length).toBe(1);
  return decodeRecords(blob);
}

describe('librdkafka 2.0.2 (kcat)', () => {
  for (const codec of NAMES) {
    it(`${codec}: accepted, and decodes keys, values, tombstones and headers`, () => {
      const blob = readFileSync(join(__dirname, 'fixtures', `librdkafka-${codec}.bin`));
      expect(readBatchHeader(blob, 0).attributes & 7).toBe(NAMES.indexOf(codec));
      const out = accept(blob);
      expect(out.length).toBe(43);
      expect(out[1].key?.toString()).toBe('k2');
      expect(out[1].value?.toString()).toBe('héllo wörld ✓');
      expect(out[1].headers.map((h) => `${h.key}=${h.value}`)).toEqual(['h1=a', 'h2=✓']);
      expect(out[2].key?.toString()).toBe('k3');
      expect(out[2].value).toBeNull();
      expect(out[42].value?.toString()).toBe('x'.repeat(39 * 7));
      expect(out.map((r) => r.offset)).toEqual(out.map((_, i) => BigInt(i)));
    });
  }

  it('writes raw snappy, not xerial framing', () => {
    const blob = readFileSync(join(__dirname, 'fixtures', 'librdkafka-snappy.bin'));
    expect(isXerialSnappy(blob.subarray(RECORDS_OFFSET))).toBe(false);
  });

  it('idempotent zstd producer (confluent-kafka-python): producer id, sequences, tombstone', () => {
    const blob = readFileSync(join(__dirname, 'fixtures', 'librdkafka-idempotent-zstd.bin'));
    const v = validateProduceRecords(blob, OPTS);
    if (!v.ok) throw new Error(v.message);
    expect([v.producerId, v.producerEpoch, v.baseSequence, v.lastSequence, v.totalRecords]).toEqual([
      4242n,
      0,
      0,
      20,
      21,
    ]);
    const out = decodeRecords(blob);
    expect(out[7].value?.toString()).toBe('value-7'.repeat(10));
    expect(out[7].headers).toEqual([{ key: 'n', value: Buffer.from('7') }]);
    expect([out[20].key?.toString(), out[20].value]).toEqual(['gone', null]);
  });
});

interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
const kafkajsCodecs = require('kafkajs/src/protocol/message/compression').Codecs as Record<
  number,
  () => KafkajsCodec
>;
const produceV3 = require('kafkajs/src/protocol/requests/produce/v3/request') as (o: object) => {
  encode(): Promise<{ buffer: Buffer }>;
};
const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => object;
const kafkajsBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: object) => Promise<{
  records: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer>; offset: string }[];
}>;

// kafkajs leaves snappy, lz4 and zstd to plugins; these stand in for them with the raw libraries.
const saved = { ...kafkajsCodecs };
const plugin = (c: (b: Buffer) => Buffer, d: (b: Buffer) => Buffer) => () => ({
  compress: async (e: { buffer: Buffer }) => c(e.buffer),
  decompress: async (b: Buffer) => d(b),
});
kafkajsCodecs[Compression.Snappy] = plugin(rawSnappy, () => {
  throw new Error('not used');
});
kafkajsCodecs[Compression.Lz4] = plugin(compressFrameSync, decompressFrameSync);
kafkajsCodecs[Compression.Zstd] = plugin(zstdCompress, zstdDecompress);
afterAll(() => Object.assign(kafkajsCodecs, saved));

/** The records blob kafkajs puts in a real Produce v3 request, read back with our Produce codec. */
async function kafkajsBlob(compression: number): Promise<Buffer> {
  const messages = [
    { key: 'k0', value: 'plain', timestamp: 1_700_000_000_000 },
    {
      key: null,
      value: 'héllo ✓',
      headers: { a: 'b', ü: Buffer.from([1, 2]) },
      timestamp: 1_700_000_000_007,
    },
    { key: 'tomb', value: null, timestamp: 1_700_000_000_003 },
    ...Array.from({ length: 30 }, (_, i) => ({
      key: `k${i}`,
      value: 'v'.repeat(i * 11),
      timestamp: 1_700_000_000_001,
    })),
  ];
  const req = produceV3({
    acks: 1,
    timeout: 1000,
    compression,
    topicData: [{ topic: 't', partitions: [{ partition: 0, messages }] }],
  });
  const body = (await req.encode()).buffer;
  const parsed = readProduceRequest(new Reader(body), 3);
  return Buffer.from(parsed.topicData[0].partitionData[0].records!);
}

describe('kafkajs 2.2.4 (Produce v3 request encoder)', () => {
  for (const codec of [0, 1, 2, 3, 4]) {
    it(`${NAMES[codec]}: accepted and decoded`, async () => {
      const blob = await kafkajsBlob(codec);
      expect(readBatchHeader(blob, 0).attributes & 7).toBe(codec);
      const out = accept(blob);
      expect(out.length).toBe(33);
      expect(out[0].key?.toString()).toBe('k0');
      expect(out[1].key).toBeNull();
      expect(out[1].value?.toString()).toBe('héllo ✓');
      expect(out[1].headers).toEqual([
        { key: 'a', value: Buffer.from('b') },
        { key: 'ü', value: Buffer.from([1, 2]) },
      ]);
      expect(out[2].value).toBeNull();
      expect(out[1].timestamp).toBe(1_700_000_000_007n);
      const v = validateProduceRecords(blob, OPTS);
      expect(v.ok && v.maxTimestamp).toBe(1_700_000_000_007n);
    });
  }

  for (const codec of [0, 1, 3, 4]) {
    it(`${NAMES[codec]}: kafkajs decodes what encodeBatch writes`, async () => {
      const b = encodeBatch({
        baseOffset: 100n,
        compression: codec,
        records: [
          {
            key: Buffer.from('k'),
            value: Buffer.from('välue'),
            headers: [{ key: 'h', value: Buffer.from('x') }],
          },
          { key: null, value: null },
        ],
      });
      const batch = await kafkajsBatchDecoder(new KafkajsDecoder(b));
      expect(
        batch.records.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null]),
      ).toEqual([
        ['100', 'k', 'välue'],
        ['101', null, null],
      ]);
      expect(batch.records[0].headers).toEqual({ h: Buffer.from('x') });
    });
  }
});

describe('@platformatic/kafka (its own encoder and decoder)', () => {
  // Its zstd uses node:zlib's zstd, which Node 20 lacks.
  for (const codec of ['none', 'gzip', 'snappy', 'lz4'] as const) {
    it(`${codec}: accepted and decoded`, () => {
      const w = createRecordsBatch(
        [
          { topic: 't', key: Buffer.from('k'), value: Buffer.from('v'.repeat(500)), timestamp: 5n },
          {
            topic: 't',
            value: Buffer.from('✓'),
            headers: new Map([[Buffer.from('h'), Buffer.from('x')]]),
            timestamp: 9n,
          },
        ],
        {
          compression: codec,
          producerId: -1n,
          producerEpoch: 0,
          sequences: new NumericMap(),
          partitionLeaderEpoch: 0,
        },
      );
      const blob = w.buffer;
      expect(readBatchHeader(blob, 0).attributes & 7).toBe(NAMES.indexOf(codec));
      const out = accept(blob);
      expect(out.map((r) => [r.key?.toString() ?? null, r.value?.toString(), r.timestamp])).toEqual([
        ['k', 'v'.repeat(500), 5n],
        [null, '✓', 9n],
      ]);
      expect(out[1].headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
    });

    it(`${codec}: @platformatic/kafka decodes what encodeBatch writes`, () => {
      const b = encodeBatch({
        compression: NAMES.indexOf(codec),
        records: [
          {
            key: Buffer.from('k'),
            value: Buffer.from('välue'.repeat(50)),
            headers: [{ key: 'h', value: null }],
          },
        ],
      });
      const batch = readRecordsBatch(PlatformaticReader.from(b));
      expect(batch.records.length).toBe(1);
      expect(batch.records[0].key?.toString()).toBe('k');
      expect(batch.records[0].value?.toString()).toBe('välue'.repeat(50));
    });
  }
});
