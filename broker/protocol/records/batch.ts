/**
 * Record batch v2 header (Kafka docs, implementation section 5.3.1 "Record Batch"). The broker keeps
 * batches as bytes (DESIGN.md "Record batches stay bytes"): it reads this fixed 61-byte header and
 * patches a few fields in place; records are never re-encoded on the produce or fetch path.
 */
import { crc32c } from '@node-rs/crc32';

export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORD_COUNT_OFFSET = 57;
export const RECORDS_OFFSET = 61;
/** Header size; also the smallest valid batch (an empty batch, which compaction may leave behind). */
export const RECORD_BATCH_OVERHEAD = 61;
export const BATCH_HEADER_SIZE = RECORD_BATCH_OVERHEAD;
/** baseOffset + batchLength: batchLength counts the bytes after itself, so size = batchLength + 12. */
export const LOG_OVERHEAD = 12;
/** The CRC covers attributes to the end, so partitionLeaderEpoch and baseOffset can change freely. */
export const CRC_START_OFFSET = ATTRIBUTES_OFFSET;
export const MAGIC_V2 = 2;

export const NO_TIMESTAMP = -1n;
export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;

/** Attribute bits 0-2 (KIP-110 added zstd = 4). */
export const Compression = { None: 0, Gzip: 1, Snappy: 2, Lz4: 3, Zstd: 4 } as const;
export type CompressionCodec = (typeof Compression)[keyof typeof Compression];
export const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

export const COMPRESSION_MASK = 0x07;
/** 0 = CreateTime, 1 = LogAppendTime (KIP-32). */
export const TIMESTAMP_TYPE_MASK = 0x08;
/** KIP-98. */
export const TRANSACTIONAL_MASK = 0x10;
export const CONTROL_MASK = 0x20;
/** KIP-534: baseTimestamp holds the delete horizon of tombstones / aborted markers after compaction. */
export const DELETE_HORIZON_MASK = 0x40;

export type TimestampType = 0 | 1;
export const CREATE_TIME: TimestampType = 0;
export const LOG_APPEND_TIME: TimestampType = 1;

export interface BatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export const compressionOf = (attributes: number): number => attributes & COMPRESSION_MASK;
export const timestampTypeOf = (attributes: number): TimestampType =>
  (attributes & TIMESTAMP_TYPE_MASK) !== 0 ? LOG_APPEND_TIME : CREATE_TIME;
export const isTransactional = (attributes: number): boolean => (attributes & TRANSACTIONAL_MASK) !== 0;
export const isControl = (attributes: number): boolean => (attributes & CONTROL_MASK) !== 0;
export const hasDeleteHorizon = (attributes: number): boolean => (attributes & DELETE_HORIZON_MASK) !== 0;

export function makeAttributes(o: {
  compression?: number;
  timestampType?: TimestampType;
  transactional?: boolean;
  control?: boolean;
  deleteHorizon?: boolean;
}): number {
  return (
    ((o.compression ?? 0) & COMPRESSION_MASK) |
    (o.timestampType === LOG_APPEND_TIME ? TIMESTAMP_TYPE_MASK : 0) |
    (o.transactional ? TRANSACTIONAL_MASK : 0) |
    (o.control ? CONTROL_MASK : 0) |
    (o.deleteHorizon ? DELETE_HORIZON_MASK : 0)
  );
}

/** Total bytes of the batch at pos (header included), from its batchLength field. */
export function batchSize(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
}

/** Reads the fixed header. The caller has checked that 61 bytes are there. */
export function readBatchHeader(buf: Buffer, pos: number): BatchHeader {
  if (pos < 0 || pos + RECORD_BATCH_OVERHEAD > buf.length) {
    throw new RangeError(`record batch header at ${pos} needs 61 bytes, buffer has ${buf.length}`);
  }
  return {
    baseOffset: buf.readBigInt64BE(pos + BASE_OFFSET_OFFSET),
    batchLength: buf.readInt32BE(pos + BATCH_LENGTH_OFFSET),
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH_OFFSET),
    magic: buf.readInt8(pos + MAGIC_OFFSET),
    crc: buf.readUInt32BE(pos + CRC_OFFSET),
    attributes: buf.readInt16BE(pos + ATTRIBUTES_OFFSET),
    lastOffsetDelta: buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET),
    baseTimestamp: buf.readBigInt64BE(pos + BASE_TIMESTAMP_OFFSET),
    maxTimestamp: buf.readBigInt64BE(pos + MAX_TIMESTAMP_OFFSET),
    producerId: buf.readBigInt64BE(pos + PRODUCER_ID_OFFSET),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH_OFFSET),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE_OFFSET),
    recordCount: buf.readInt32BE(pos + RECORD_COUNT_OFFSET),
  };
}

/** CRC-32C (Castagnoli) of attributes..end of the batch at pos. */
export function computeCrc(buf: Buffer, pos: number): number {
  return crc32c(buf.subarray(pos + CRC_START_OFFSET, pos + batchSize(buf, pos))) >>> 0;
}

export function writeCrc(buf: Buffer, pos: number): void {
  buf.writeUInt32BE(computeCrc(buf, pos), pos + CRC_OFFSET);
}

export function crcMatches(buf: Buffer, pos: number): boolean {
  return computeCrc(buf, pos) === buf.readUInt32BE(pos + CRC_OFFSET);
}

/** Outside the CRC: the leader assigns offsets without touching the checksum. */
export function setBaseOffset(buf: Buffer, pos: number, offset: bigint): void {
  buf.writeBigInt64BE(offset, pos + BASE_OFFSET_OFFSET);
}

/** Outside the CRC by design (docs 5.3.1), because the leader stamps every batch it appends. */
export function setPartitionLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + PARTITION_LEADER_EPOCH_OFFSET);
}

/**
 * Kafka's DefaultRecordBatch.setMaxTimestamp: attributes and maxTimestamp are inside the CRC, so the
 * CRC is recomputed, but only when something changed (the common CreateTime case costs nothing).
 */
export function setMaxTimestamp(buf: Buffer, pos: number, type: TimestampType, ts: bigint): void {
  const attributes = buf.readInt16BE(pos + ATTRIBUTES_OFFSET);
  const next =
    type === LOG_APPEND_TIME ? attributes | TIMESTAMP_TYPE_MASK : attributes & ~TIMESTAMP_TYPE_MASK;
  if (next === attributes && buf.readBigInt64BE(pos + MAX_TIMESTAMP_OFFSET) === ts) return;
  buf.writeInt16BE(next, pos + ATTRIBUTES_OFFSET);
  buf.writeBigInt64BE(ts, pos + MAX_TIMESTAMP_OFFSET);
  writeCrc(buf, pos);
}

/** message.timestamp.type=LogAppendTime (KIP-32): every record's timestamp becomes the batch maxTimestamp. */
export function setLogAppendTime(buf: Buffer, pos: number, ts: bigint): void {
  setMaxTimestamp(buf, pos, LOG_APPEND_TIME, ts);
}

/** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap from Int32.MAX_VALUE to 0. */
export function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  if (baseSequence === NO_SEQUENCE) return NO_SEQUENCE;
  if (baseSequence > 0x7fffffff - lastOffsetDelta) return lastOffsetDelta - (0x7fffffff - baseSequence) - 1;
  return baseSequence + lastOffsetDelta;
}
