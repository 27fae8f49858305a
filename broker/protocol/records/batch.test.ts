import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32c } from '@node-rs/crc32';
import {
  BATCH_HEADER_SIZE,
  Compression,
  computeCrc,
  crcMatches,
  hasDeleteHorizon,
  isControl,
  isTransactional,
  lastSequenceOf,
  makeAttributes,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  setMaxTimestamp,
  setPartitionLeaderEpoch,
  compressionOf,
  timestampTypeOf,
} from './batch';
import { decodeRecords, encodeBatch } from './records';
import { validateProduceRecords } from './validate';

const require = createRequire(import.meta.url);
/** kafkajs's pure-JS CRC-32C: an implementation independent of @node-rs/crc32. */
const kafkajsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

const T = 1_700_000_000_000n;

/**
 * One record (key "k", value "v") laid out by hand from the docs' field list (5.3.1 / 5.3.2), so the
 * encoder and header reader are checked against the spec rather than against themselves.
 */
function handBuiltBatch(): Buffer {
  const record = Buffer.from([
    0x10, // length: zig-zag varint 8
    0x00, // attributes
    0x00, // timestampDelta 0
    0x00, // offsetDelta 0
    0x02, // keyLength 1
    0x6b, // 'k'
    0x02, // valueLength 1
    0x76, // 'v'
    0x00, // headers count 0
  ]);
  const b = Buffer.alloc(61 + record.length);
  b.writeBigInt64BE(0n, 0); // baseOffset
  b.writeInt32BE(b.length - 12, 8); // batchLength
  b.writeInt32BE(-1, 12); // partitionLeaderEpoch
  b.writeInt8(2, 16); // magic
  b.writeInt16BE(0, 21); // attributes
  b.writeInt32BE(0, 23); // lastOffsetDelta
  b.writeBigInt64BE(T, 27); // baseTimestamp
  b.writeBigInt64BE(T, 35); // maxTimestamp
  b.writeBigInt64BE(-1n, 43); // producerId
  b.writeInt16BE(-1, 51); // producerEpoch
  b.writeInt32BE(-1, 53); // baseSequence
  b.writeInt32BE(1, 57); // records count
  record.copy(b, 61);
  b.writeUInt32BE(kafkajsCrc32C(b.subarray(21)), 17);
  return b;
}

describe('CRC-32C', () => {
  it('gives the Castagnoli check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789')) >>> 0).toBe(0xe3069283);
    expect(kafkajsCrc32C(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('covers attributes..end, and agrees with an independent implementation', () => {
    for (let i = 0; i < 20; i++) {
      const b = encodeBatch({ records: [{ key: randomBytes(i), value: randomBytes(i * 37) }] });
      expect(computeCrc(b, 0)).toBe(kafkajsCrc32C(b.subarray(21)));
      expect(b.readUInt32BE(17)).toBe(computeCrc(b, 0));
    }
  });
});

describe('batch header', () => {
  it('encodeBatch writes exactly the bytes of the hand-built batch', () => {
    const hand = handBuiltBatch();
    const ours = encodeBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v'), timestamp: T }] });
    expect(ours.toString('hex')).toBe(hand.toString('hex'));
  });

  it('reads every field at its documented offset', () => {
    const b = handBuiltBatch();
    b.writeBigInt64BE(1234n, 0);
    b.writeInt32BE(7, 12);
    b.writeInt16BE(0x1f, 21);
    b.writeBigInt64BE(99n, 43);
    b.writeInt16BE(3, 51);
    b.writeInt32BE(5, 53);
    const h = readBatchHeader(b, 0);
    expect(h).toEqual({
      baseOffset: 1234n,
      batchLength: b.length - 12,
      partitionLeaderEpoch: 7,
      magic: 2,
      crc: b.readUInt32BE(17),
      attributes: 0x1f,
      lastOffsetDelta: 0,
      baseTimestamp: T,
      maxTimestamp: T,
      producerId: 99n,
      producerEpoch: 3,
      baseSequence: 5,
      recordCount: 1,
    });
    expect(BATCH_HEADER_SIZE).toBe(61);
  });

  it('reads a header at an offset inside a larger buffer, and refuses a short one', () => {
    const b = Buffer.concat([Buffer.alloc(5), handBuiltBatch()]);
    expect(readBatchHeader(b, 5).recordCount).toBe(1);
    expect(() => readBatchHeader(b.subarray(0, 60), 0)).toThrow(RangeError);
  });

  it('decodes the attribute bits', () => {
    const a = makeAttributes({
      compression: Compression.Zstd,
      timestampType: 1,
      transactional: true,
      control: true,
      deleteHorizon: true,
    });
    expect(a).toBe(0x7c);
    expect(compressionOf(a)).toBe(4);
    expect(timestampTypeOf(a)).toBe(1);
    expect(isTransactional(a) && isControl(a) && hasDeleteHorizon(a)).toBe(true);
    expect([
      compressionOf(0),
      timestampTypeOf(0),
      isTransactional(0),
      isControl(0),
      hasDeleteHorizon(0),
    ]).toEqual([0, 0, false, false, false]);
  });

  it('wraps sequence numbers as Kafka does', () => {
    expect(lastSequenceOf(0, 9)).toBe(9);
    expect(lastSequenceOf(-1, 9)).toBe(-1);
    expect(lastSequenceOf(0x7fffffff - 1, 3)).toBe(1);
    expect(lastSequenceOf(0x7fffffff, 0)).toBe(0x7fffffff);
  });
});

describe('in-place patchers', () => {
  const batch = (): Buffer =>
    encodeBatch({
      compression: Compression.Lz4,
      records: [
        { key: Buffer.from('a'), value: Buffer.from('1'), timestamp: T },
        { key: Buffer.from('b'), value: Buffer.from('2'), timestamp: T + 5n },
      ],
    });

  it('setBaseOffset and setPartitionLeaderEpoch leave the CRC valid and untouched', () => {
    const b = batch();
    const crc = b.readUInt32BE(17);
    setBaseOffset(b, 0, 1_000_000_000_000n);
    setPartitionLeaderEpoch(b, 0, 42);
    expect(b.readUInt32BE(17)).toBe(crc);
    expect(crcMatches(b, 0)).toBe(true);
    const h = readBatchHeader(b, 0);
    expect([h.baseOffset, h.partitionLeaderEpoch]).toEqual([1_000_000_000_000n, 42]);
    expect(decodeRecords(b).map((r) => r.offset)).toEqual([1_000_000_000_000n, 1_000_000_000_001n]);
  });

  it('setLogAppendTime sets the type bit and maxTimestamp, and recomputes the CRC', () => {
    const b = batch();
    const before = b.readUInt32BE(17);
    setLogAppendTime(b, 0, T + 1000n);
    const h = readBatchHeader(b, 0);
    expect(timestampTypeOf(h.attributes)).toBe(1);
    expect(compressionOf(h.attributes)).toBe(Compression.Lz4);
    expect(h.maxTimestamp).toBe(T + 1000n);
    expect(h.crc).not.toBe(before);
    expect(crcMatches(b, 0)).toBe(true);
    expect(decodeRecords(b).map((r) => r.timestamp)).toEqual([T + 1000n, T + 1000n]);
    const v = validateProduceRecords(b, { maxMessageBytes: 1 << 20 });
    expect(v.ok && v.maxTimestamp).toBe(T + 1000n);
  });

  it('setMaxTimestamp changes nothing when the values are already there', () => {
    const b = batch();
    const copy = Buffer.from(b);
    setMaxTimestamp(b, 0, 0, T + 5n);
    expect(b.equals(copy)).toBe(true);
    setMaxTimestamp(b, 0, 0, T + 6n);
    expect(crcMatches(b, 0)).toBe(true);
    expect(readBatchHeader(b, 0).maxTimestamp).toBe(T + 6n);
  });

  it('patches a batch in the middle of a larger buffer without touching its neighbours', () => {
    const a = batch();
    const b = batch();
    const all = Buffer.concat([a, b]);
    setBaseOffset(all, a.length, 10n);
    setLogAppendTime(all, a.length, T);
    expect(all.subarray(0, a.length).equals(a)).toBe(true);
    expect(crcMatches(all, 0) && crcMatches(all, a.length)).toBe(true);
  });
});
