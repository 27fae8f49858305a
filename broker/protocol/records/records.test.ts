import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../generated/errors';
import {
  Compression,
  crcMatches,
  hasDeleteHorizon,
  isControl,
  isTransactional,
  readBatchHeader,
  setBaseOffset,
} from './batch';
import { ControlRecordType, encodeEndTxnMarker, readControlRecordType } from './control';
import { decodeBatches, decodeRecords, encodeBatch } from './records';
import { validateProduceRecords } from './validate';

const T = 1_700_000_000_000n;

describe('encodeBatch', () => {
  it('fills the header from the options and the records', () => {
    const b = encodeBatch({
      baseOffset: 500n,
      partitionLeaderEpoch: 9,
      producerId: 12n,
      producerEpoch: 2,
      baseSequence: 40,
      transactional: true,
      compression: Compression.Snappy,
      records: [
        { value: Buffer.from('a'), timestamp: T + 10n },
        { value: Buffer.from('b'), timestamp: T + 30n },
        { value: Buffer.from('c'), timestamp: T + 20n },
      ],
    });
    expect(readBatchHeader(b, 0)).toMatchObject({
      baseOffset: 500n,
      batchLength: b.length - 12,
      partitionLeaderEpoch: 9,
      magic: 2,
      attributes: Compression.Snappy | 0x10,
      lastOffsetDelta: 2,
      baseTimestamp: T + 10n,
      maxTimestamp: T + 30n,
      producerId: 12n,
      producerEpoch: 2,
      baseSequence: 40,
      recordCount: 3,
    });
    expect(crcMatches(b, 0)).toBe(true);
    expect(decodeRecords(b).map((r) => r.timestamp)).toEqual([T + 10n, T + 30n, T + 20n]);
  });

  it('round-trips big values (past the writer chunk size) and binary keys', () => {
    for (const codec of [0, 1, 2, 3, 4]) {
      const big = randomBytes(100_000);
      const key = randomBytes(300);
      const b = encodeBatch({
        compression: codec,
        records: [
          { key, value: big },
          { key: Buffer.alloc(0), value: Buffer.alloc(0) },
        ],
      });
      const out = decodeRecords(b);
      expect(out[0].key?.equals(key) && out[0].value?.equals(big)).toBe(true);
      expect([out[1].key?.length, out[1].value?.length]).toEqual([0, 0]);
    }
  });

  it('keeps what compaction must preserve: offset range, sequences, delete horizon, gaps', () => {
    // A cleaned batch: records 1 and 3 of 0..4 survive; lastOffsetDelta and baseSequence stay.
    const b = encodeBatch({
      baseOffset: 1000n,
      lastOffsetDelta: 4,
      producerId: 7n,
      producerEpoch: 0,
      baseSequence: 100,
      baseTimestamp: T + 86_400_000n,
      deleteHorizon: true,
      records: [
        { key: Buffer.from('k1'), value: null, offsetDelta: 1, timestamp: T + 86_400_001n },
        { key: Buffer.from('k3'), value: Buffer.from('v3'), offsetDelta: 3, timestamp: T + 86_400_003n },
      ],
    });
    const h = readBatchHeader(b, 0);
    expect([h.lastOffsetDelta, h.recordCount, h.baseSequence, hasDeleteHorizon(h.attributes)]).toEqual([
      4,
      2,
      100,
      true,
    ]);
    expect(decodeRecords(b).map((r) => [r.offset, r.key?.toString(), r.timestamp])).toEqual([
      [1001n, 'k1', T + 86_400_001n],
      [1003n, 'k3', T + 86_400_003n],
    ]);
  });

  it('writes an empty batch (all records cleaned away)', () => {
    const b = encodeBatch({
      baseOffset: 10n,
      lastOffsetDelta: 9,
      records: [],
      producerId: 3n,
      baseSequence: 5,
    });
    expect(b.length).toBe(61);
    expect(readBatchHeader(b, 0)).toMatchObject({ recordCount: 0, lastOffsetDelta: 9, maxTimestamp: -1n });
    expect(decodeRecords(b)).toEqual([]);
  });
});

describe('control batches', () => {
  it('encodes COMMIT and ABORT markers as Kafka does, and clients may not send them', () => {
    for (const commit of [true, false]) {
      const b = encodeEndTxnMarker({
        commit,
        coordinatorEpoch: 17,
        producerId: 99n,
        producerEpoch: 4,
        timestamp: T,
      });
      const h = readBatchHeader(b, 0);
      expect([isControl(h.attributes), isTransactional(h.attributes), h.producerId, h.producerEpoch]).toEqual(
        [true, true, 99n, 4],
      );
      expect(h.baseSequence).toBe(-1);
      const [r] = decodeRecords(b);
      expect(readControlRecordType(r.key)).toBe(commit ? ControlRecordType.Commit : ControlRecordType.Abort);
      expect(r.key?.toString('hex')).toBe(commit ? '00000001' : '00000000');
      expect(r.value?.toString('hex')).toBe('000000000011');
      expect(r.timestamp).toBe(T);
      const v = validateProduceRecords(b, { maxMessageBytes: 1 << 20 });
      expect(v.ok ? 0 : v.errorCode).toBe(ErrorCode.INVALID_RECORD);
    }
    expect(readControlRecordType(null)).toBe(-1);
    expect(readControlRecordType(Buffer.from([0]))).toBe(-1);
  });
});

describe('decodeBatches', () => {
  it('decodes every batch of a blob and stops at a partial last batch, as a fetch may end', () => {
    const a = encodeBatch({ records: [{ value: Buffer.from('a') }], compression: Compression.Gzip });
    const b = encodeBatch({ records: [{ value: Buffer.from('b') }, { value: Buffer.from('c') }] });
    setBaseOffset(b, 0, 1n);
    const blob = Buffer.concat([a, b, b.subarray(0, 30)]);
    const out = decodeBatches(blob);
    expect(out.map((x) => x.records.map((r) => [r.offset, r.value?.toString()]))).toEqual([
      [[0n, 'a']],
      [
        [1n, 'b'],
        [2n, 'c'],
      ],
    ]);
    expect(decodeBatches(Buffer.concat([a, a.subarray(0, a.length - 1)])).length).toBe(1);
  });

  it('decodeRecords throws (rather than returning garbage) on a damaged batch', () => {
    const b = encodeBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v') }] });
    const bad = Buffer.from(b);
    bad[61] = 0x40;
    expect(() => decodeRecords(bad)).toThrow();
    expect(() => decodeRecords(b.subarray(0, b.length - 1))).toThrow(RangeError);
    const v1 = Buffer.from(b);
    v1[16] = 1;
    expect(() => decodeRecords(v1)).toThrow(RangeError);
  });
});
