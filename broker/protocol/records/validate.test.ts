import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../generated/errors';
import { Compression, readBatchHeader, writeCrc } from './batch';
import { compress } from './compression';
import { decodeRecords, encodeBatch, type EncodeBatchOptions, type RecordInput } from './records';
import { validateProduceRecords, type ValidationOptions, type ValidationResult } from './validate';

const OPTS: ValidationOptions = { maxMessageBytes: 1 << 20 };
const T = 1_700_000_000_000n;
const CODECS = [0, 1, 2, 3, 4];
const NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

const records = (n: number): RecordInput[] =>
  Array.from({ length: n }, (_, i) => ({
    key: i % 3 === 2 ? null : Buffer.from(`key-${i}`),
    value: i % 4 === 3 ? null : Buffer.from(`välue ${i} ✓ `.repeat(i + 1)),
    headers:
      i % 2
        ? [
            { key: 'trace-✓', value: Buffer.from([i]) },
            { key: 'empty', value: null },
          ]
        : [],
    timestamp: T + BigInt(i),
  }));

function errorOf(r: ValidationResult): { code: number; message: string } {
  if (r.ok) throw new Error('expected a validation error');
  return { code: r.errorCode, message: r.message };
}

/** A batch whose header fields were edited after encoding, with the CRC made valid again. */
function edited(o: EncodeBatchOptions, edit: (b: Buffer) => void): Buffer {
  const b = encodeBatch(o);
  edit(b);
  writeCrc(b, 0);
  return b;
}

describe('valid batches', () => {
  for (const codec of CODECS) {
    it(`${NAMES[codec]}: encodeBatch -> validate -> decodeRecords round trip`, () => {
      const input = records(25);
      const b = encodeBatch({ records: input, compression: codec });
      const v = validateProduceRecords(b, OPTS);
      if (!v.ok) throw new Error(v.message);
      expect(v.batches).toEqual([
        { pos: 0, size: b.length, header: readBatchHeader(b, 0), maxTimestamp: T + 24n },
      ]);
      expect(v.totalRecords).toBe(25);
      expect(v.compression).toBe(codec);
      expect([v.firstTimestamp, v.minTimestamp, v.maxTimestamp, v.maxTimestampIndex]).toEqual([
        T,
        T,
        T + 24n,
        24,
      ]);
      const out = decodeRecords(b);
      expect(out.map((r) => r.offset)).toEqual(input.map((_, i) => BigInt(i)));
      expect(out.map((r) => [r.key, r.value, r.headers, r.timestamp])).toEqual(
        input.map((r) => [r.key, r.value, r.headers, r.timestamp]),
      );
      expect(out[5].headers[0].key).toBe('trace-✓');
      expect(out[3].value).toBeNull();
      expect(out[2].key).toBeNull();
    });
  }

  it('reports min, max and first timestamps and where the max is', () => {
    const stamps = [T + 100n, T + 300n, T - 50n, T + 300n];
    const b = encodeBatch({ records: stamps.map((timestamp) => ({ value: Buffer.from('x'), timestamp })) });
    const v = validateProduceRecords(b, OPTS);
    if (!v.ok) throw new Error(v.message);
    expect([v.firstTimestamp, v.minTimestamp, v.maxTimestamp, v.maxTimestampIndex]).toEqual([
      T + 100n,
      T - 50n,
      T + 300n,
      1,
    ]);
  });

  it('LogAppendTime batches take the batch maxTimestamp for every record', () => {
    const b = encodeBatch({ records: records(3), timestampType: 1, maxTimestamp: T + 999n });
    const v = validateProduceRecords(b, OPTS);
    expect(v.ok && [v.timestampType, v.firstTimestamp, v.minTimestamp, v.maxTimestamp]).toEqual([
      1,
      T + 999n,
      T + 999n,
      T + 999n,
    ]);
  });

  it('reports the producer state of idempotent and transactional batches', () => {
    const b = encodeBatch({
      records: records(10),
      producerId: 77n,
      producerEpoch: 3,
      baseSequence: 0x7fffffff - 4,
      transactional: true,
    });
    const v = validateProduceRecords(b, OPTS);
    if (!v.ok) throw new Error(v.message);
    expect([
      v.producerId,
      v.producerEpoch,
      v.baseSequence,
      v.lastSequence,
      v.isTransactional,
      v.isControl,
    ]).toEqual([77n, 3, 0x7fffffff - 4, 4, true, false]);
  });

  it('walks several batches in one blob unless a single batch is required', () => {
    const a = encodeBatch({ records: records(3), compression: Compression.Gzip });
    const b = encodeBatch({ records: records(5) });
    const blob = Buffer.concat([a, b]);
    const v = validateProduceRecords(blob, OPTS);
    if (!v.ok) throw new Error(v.message);
    expect(v.batches.map((x) => [x.pos, x.size, x.header.recordCount])).toEqual([
      [0, a.length, 3],
      [a.length, b.length, 5],
    ]);
    expect([v.totalRecords, v.maxTimestamp, v.maxTimestampIndex]).toEqual([8, T + 4n, 7]);
    expect(errorOf(validateProduceRecords(blob, { ...OPTS, requireSingleBatch: true })).code).toBe(
      ErrorCode.INVALID_RECORD,
    );
  });

  it('accepts a batch exactly at max.message.bytes', () => {
    const b = encodeBatch({ records: records(5) });
    expect(validateProduceRecords(b, { maxMessageBytes: b.length }).ok).toBe(true);
  });

  it('does not modify the input', () => {
    const b = encodeBatch({ records: records(5), compression: Compression.Zstd });
    const copy = Buffer.from(b);
    validateProduceRecords(b, OPTS);
    expect(b.equals(copy)).toBe(true);
  });
});

describe('Kafka error codes', () => {
  const base: EncodeBatchOptions = { records: records(4) };

  it('CORRUPT_MESSAGE for a flipped byte anywhere under the CRC', () => {
    for (const codec of CODECS) {
      const b = encodeBatch({ ...base, compression: codec });
      for (const at of [21, 30, 57, 61, b.length - 1]) {
        const bad = Buffer.from(b);
        bad[at] ^= 0x10;
        expect(errorOf(validateProduceRecords(bad, OPTS)), `${NAMES[codec]} @${at}`).toMatchObject({
          code: ErrorCode.CORRUPT_MESSAGE,
          message: expect.stringContaining('CRC'),
        });
      }
    }
  });

  it('INVALID_RECORD for magic 0 and 1 (produce v3+ carries v2 only), CORRUPT_MESSAGE for unknown magic', () => {
    for (const [magic, code] of [
      [0, ErrorCode.INVALID_RECORD],
      [1, ErrorCode.INVALID_RECORD],
      [3, ErrorCode.CORRUPT_MESSAGE],
      [-1, ErrorCode.CORRUPT_MESSAGE],
    ]) {
      const b = encodeBatch(base);
      b.writeInt8(magic, 16);
      expect(errorOf(validateProduceRecords(b, OPTS)).code).toBe(code);
    }
  });

  it('CORRUPT_MESSAGE for a truncated batch, a short header or a batchLength below the header', () => {
    const b = encodeBatch(base);
    for (const cut of [b.length - 1, 61, 40, 17, 5]) {
      expect(errorOf(validateProduceRecords(b.subarray(0, cut), OPTS)).code, `cut ${cut}`).toBe(
        ErrorCode.CORRUPT_MESSAGE,
      );
    }
    const small = Buffer.from(b);
    small.writeInt32BE(48, 8);
    expect(errorOf(validateProduceRecords(small, OPTS)).code).toBe(ErrorCode.CORRUPT_MESSAGE);
    const negative = Buffer.from(b);
    negative.writeInt32BE(-20, 8);
    expect(errorOf(validateProduceRecords(negative, OPTS)).code).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('CORRUPT_MESSAGE for trailing bytes after the last batch', () => {
    const b = encodeBatch(base);
    expect(errorOf(validateProduceRecords(Buffer.concat([b, Buffer.alloc(5)]), OPTS)).code).toBe(
      ErrorCode.CORRUPT_MESSAGE,
    );
    expect(errorOf(validateProduceRecords(Buffer.concat([b, Buffer.alloc(40, 0xff)]), OPTS)).code).toBe(
      ErrorCode.CORRUPT_MESSAGE,
    );
  });

  it('MESSAGE_TOO_LARGE over max.message.bytes, or when decompressing past the cap', () => {
    const b = encodeBatch(base);
    expect(errorOf(validateProduceRecords(b, { maxMessageBytes: b.length - 1 })).code).toBe(
      ErrorCode.MESSAGE_TOO_LARGE,
    );
    const bomb = encodeBatch({ records: [{ value: Buffer.alloc(8 << 20) }], compression: Compression.Zstd });
    expect(bomb.length).toBeLessThan(2000);
    expect(validateProduceRecords(bomb, OPTS).ok).toBe(true);
    expect(errorOf(validateProduceRecords(bomb, { ...OPTS, maxUncompressedBytes: 1 << 20 })).code).toBe(
      ErrorCode.MESSAGE_TOO_LARGE,
    );
  });

  it('INVALID_RECORD when recordCount or lastOffsetDelta disagree with the records', () => {
    const cases: [string, (b: Buffer) => void][] = [
      ['more records declared', (b) => (b.writeInt32BE(5, 57), b.writeInt32BE(4, 23))],
      ['fewer records declared', (b) => (b.writeInt32BE(3, 57), b.writeInt32BE(2, 23))],
      ['lastOffsetDelta != count - 1', (b) => b.writeInt32BE(5, 23)],
      ['zero records', (b) => (b.writeInt32BE(0, 57), b.writeInt32BE(-1, 23))],
      ['negative count', (b) => (b.writeInt32BE(-3, 57), b.writeInt32BE(-4, 23))],
    ];
    for (const codec of CODECS) {
      for (const [name, edit] of cases) {
        const r = validateProduceRecords(edited({ ...base, compression: codec }, edit), OPTS);
        expect(errorOf(r).code, `${NAMES[codec]}: ${name}`).toBe(ErrorCode.INVALID_RECORD);
      }
    }
  });

  it('INVALID_RECORD for inner offsets other than 0..n-1, naming the record', () => {
    for (const codec of CODECS) {
      const b = encodeBatch({
        compression: codec,
        records: [0, 2, 3].map((offsetDelta) => ({ value: Buffer.from('v'), offsetDelta })),
        lastOffsetDelta: 2,
      });
      const r = validateProduceRecords(b, OPTS);
      expect(r).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, recordIndex: 1 });
    }
  });

  it('INVALID_RECORD for control batches, non-zero baseOffset and a producer id without a sequence', () => {
    const control = encodeBatch({
      ...base,
      control: true,
      transactional: true,
      producerId: 1n,
      baseSequence: 0,
    });
    expect(errorOf(validateProduceRecords(control, OPTS)).message).toMatch(/control/);
    expect(errorOf(validateProduceRecords(control, OPTS)).code).toBe(ErrorCode.INVALID_RECORD);
    const offset = encodeBatch({ ...base, baseOffset: 10n });
    expect(errorOf(validateProduceRecords(offset, OPTS)).code).toBe(ErrorCode.INVALID_RECORD);
    const noSeq = encodeBatch({ ...base, producerId: 5n, producerEpoch: 0 });
    expect(errorOf(validateProduceRecords(noSeq, OPTS)).code).toBe(ErrorCode.INVALID_RECORD);
  });

  it('UNSUPPORTED_COMPRESSION_TYPE for codec ids past zstd', () => {
    const b = edited(base, (x) => x.writeInt16BE(6, 21));
    expect(errorOf(validateProduceRecords(b, OPTS)).code).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('INVALID_RECORD for compressed data that does not decompress', () => {
    for (const codec of [1, 2, 3, 4]) {
      const b = edited({ ...base, compression: codec }, (x) => randomBytes(x.length - 70).copy(x, 70));
      expect(errorOf(validateProduceRecords(b, OPTS)).code, NAMES[codec]).toBe(ErrorCode.INVALID_RECORD);
    }
  });

  it('INVALID_RECORD for records that do not parse to their declared lengths', () => {
    const one = encodeBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v') }] });
    const cases: [string, (b: Buffer) => void][] = [
      ['record length too long', (b) => (b[61] = 0x12)],
      ['record length too short', (b) => (b[61] = 0x0e)],
      ['negative record length', (b) => (b[61] = 0x01)],
      ['key length past the record', (b) => (b[65] = 0x08)],
      ['key length -2', (b) => (b[65] = 0x03)],
      ['negative header count', (b) => (b[69] = 0x01)],
      ['header count past the record', (b) => (b[69] = 0x02)],
      ['overlong varint', (b) => b.fill(0xff, 61, 69)],
    ];
    for (const [name, edit] of cases) {
      const b = Buffer.from(one);
      edit(b);
      writeCrc(b, 0);
      expect(errorOf(validateProduceRecords(b, OPTS)).code, name).toBe(ErrorCode.INVALID_RECORD);
    }
    // The same damage inside a compressed section.
    const section = Buffer.from(one.subarray(61));
    section[0] = 0x12;
    const packed = compress(Compression.Gzip, section);
    const z = Buffer.concat([one.subarray(0, 61), packed]);
    z.writeInt32BE(z.length - 12, 8);
    z.writeInt16BE(Compression.Gzip, 21);
    writeCrc(z, 0);
    expect(errorOf(validateProduceRecords(z, OPTS)).code).toBe(ErrorCode.INVALID_RECORD);
  });

  it('INVALID_RECORD for keyless records on compacted topics (requireKeys)', () => {
    const b = encodeBatch({ records: [{ key: Buffer.from('k'), value: null }, { value: Buffer.from('v') }] });
    expect(validateProduceRecords(b, OPTS).ok).toBe(true);
    expect(validateProduceRecords(b, { ...OPTS, requireKeys: true })).toMatchObject({
      ok: false,
      errorCode: ErrorCode.INVALID_RECORD,
      recordIndex: 1,
    });
  });

  it('INVALID_RECORD for an empty records blob', () => {
    expect(errorOf(validateProduceRecords(Buffer.alloc(0), OPTS)).code).toBe(ErrorCode.INVALID_RECORD);
  });
});

describe('hostile input', () => {
  it('never throws: random damage to valid batches, CRC made valid so the damage reaches the parsers', () => {
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const codec = CODECS[i % 5];
      const b = encodeBatch({ records: records(1 + (i % 7)), compression: codec });
      const flips = 1 + (i % 4);
      for (let f = 0; f < flips; f++)
        b[12 + Math.floor(Math.random() * (b.length - 12))] = Math.random() * 256;
      if (i % 3) writeCrc(b, 0);
      const v = validateProduceRecords(b, OPTS);
      if (!v.ok) rejected++;
    }
    expect(rejected).toBeGreaterThan(1000);
  });
});
