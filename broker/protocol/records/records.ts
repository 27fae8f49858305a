/**
 * Decoding and encoding of whole v2 batches (Kafka docs 5.3.1-5.3.2), for everything off the produce/fetch
 * hot path: internal topics, control batches, compaction rewrites, the console and tests. Decoded keys,
 * values and header values are views into the batch (or its decompressed copy), not copies.
 */
import { Reader } from '../reader';
import { Writer } from '../writer';
import {
  LOG_APPEND_TIME,
  LOG_OVERHEAD,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  RECORD_BATCH_OVERHEAD,
  RECORDS_OFFSET,
  MAGIC_V2,
  batchSize,
  compressionOf,
  makeAttributes,
  readBatchHeader,
  timestampTypeOf,
  writeCrc,
  type BatchHeader,
  type TimestampType,
} from './batch';
import { compress, decompress } from './compression';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  attributes: number;
}

/** Decodes the records of the batch starting at batch[0] (bytes after that batch are ignored). */
export function decodeRecords(batch: Buffer): DecodedRecord[] {
  const h = readBatchHeader(batch, 0);
  if (h.magic !== MAGIC_V2) throw new RangeError(`cannot decode records of magic ${h.magic}`);
  const end = batchSize(batch, 0);
  if (end > batch.length) throw new RangeError(`batch of ${end} bytes truncated to ${batch.length}`);
  const section = batch.subarray(RECORDS_OFFSET, end);
  const data = decompress(compressionOf(h.attributes), section);
  const appendTime = timestampTypeOf(h.attributes) === LOG_APPEND_TIME;
  const r = new Reader(data);
  const out: DecodedRecord[] = [];
  for (let i = 0; i < h.recordCount; i++) {
    const len = r.varint();
    const recEnd = r.offset + len;
    if (len < 0 || recEnd > data.length) throw new RangeError(`record ${i}: invalid size ${len}`);
    const rr = new Reader(data, r.offset, recEnd);
    const attributes = rr.int8();
    const tsDelta = rr.varlong();
    const offsetDelta = rr.varint();
    const key = varBytes(rr);
    const value = varBytes(rr);
    const count = rr.varint();
    if (count < 0 || count > rr.remaining) throw new RangeError(`record ${i}: invalid header count ${count}`);
    const headers: RecordHeader[] = [];
    for (let j = 0; j < count; j++) {
      const k = varBytes(rr);
      if (k === null) throw new RangeError(`record ${i}: null header key`);
      headers.push({ key: k.toString('utf8'), value: varBytes(rr) });
    }
    if (rr.remaining !== 0) throw new RangeError(`record ${i}: ${rr.remaining} bytes left over`);
    r.offset = recEnd;
    out.push({
      offset: h.baseOffset + BigInt(offsetDelta),
      timestamp: appendTime ? h.maxTimestamp : h.baseTimestamp + tsDelta,
      key,
      value,
      headers,
      attributes,
    });
  }
  return out;
}

/** Every batch in a blob of concatenated batches (a log segment slice, a fetch response partition). */
export function decodeBatches(buf: Buffer): { header: BatchHeader; records: DecodedRecord[] }[] {
  const out: { header: BatchHeader; records: DecodedRecord[] }[] = [];
  for (let pos = 0; pos + RECORD_BATCH_OVERHEAD <= buf.length;) {
    const size = batchSize(buf, pos);
    // A fetch may end in a partial batch (the consumer asks again from there), as Kafka's iterator allows.
    if (size < RECORD_BATCH_OVERHEAD || pos + size > buf.length) break;
    const batch = buf.subarray(pos, pos + size);
    out.push({ header: readBatchHeader(batch, 0), records: decodeRecords(batch) });
    pos += size;
  }
  return out;
}

function varBytes(r: Reader): Buffer | null {
  const len = r.varint();
  return len < 0 ? null : r.rawBytes(len);
}

export interface RecordInput {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** Defaults to now. */
  timestamp?: bigint;
  /** Defaults to the record's index; compaction keeps the original deltas. */
  offsetDelta?: number;
}

export interface EncodeBatchOptions {
  baseOffset?: bigint;
  records: RecordInput[];
  compression?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  partitionLeaderEpoch?: number;
  timestampType?: TimestampType;
  /** Compaction keeps the original batch's last offset even when its last records are gone (docs 5.3.1). */
  lastOffsetDelta?: number;
  /** Defaults to the first record's timestamp; with deleteHorizon it is the delete horizon (KIP-534). */
  baseTimestamp?: bigint;
  /** Defaults to the largest record timestamp. */
  maxTimestamp?: bigint;
  deleteHorizon?: boolean;
}

/** A complete v2 batch with its CRC, ready to append or send. */
export function encodeBatch(o: EncodeBatchOptions): Buffer {
  const now = BigInt(Date.now());
  const stamps = o.records.map((r) => r.timestamp ?? now);
  const baseTimestamp = o.baseTimestamp ?? (stamps.length > 0 ? stamps[0] : NO_TIMESTAMP);
  let maxTimestamp = o.maxTimestamp ?? NO_TIMESTAMP;
  if (o.maxTimestamp === undefined) for (const t of stamps) if (t > maxTimestamp) maxTimestamp = t;
  const w = new Writer(1024);
  let lastDelta = 0;
  o.records.forEach((r, i) => {
    lastDelta = r.offsetDelta ?? i;
    writeRecord(w, r, stamps[i] - baseTimestamp, lastDelta);
  });
  const payload = compress(o.compression ?? 0, w.toBuffer());
  const out = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + payload.length);
  out.writeBigInt64BE(o.baseOffset ?? 0n, 0);
  out.writeInt32BE(out.length - LOG_OVERHEAD, 8);
  out.writeInt32BE(o.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH, 12);
  out.writeInt8(MAGIC_V2, 16);
  out.writeInt16BE(makeAttributes({ ...o, compression: o.compression ?? 0 }), 21);
  out.writeInt32BE(o.lastOffsetDelta ?? lastDelta, 23);
  out.writeBigInt64BE(baseTimestamp, 27);
  out.writeBigInt64BE(maxTimestamp, 35);
  out.writeBigInt64BE(o.producerId ?? NO_PRODUCER_ID, 43);
  out.writeInt16BE(o.producerEpoch ?? NO_PRODUCER_EPOCH, 51);
  out.writeInt32BE(o.baseSequence ?? NO_SEQUENCE, 53);
  out.writeInt32BE(o.records.length, 57);
  payload.copy(out, RECORDS_OFFSET);
  writeCrc(out, 0);
  return out;
}

function writeRecord(w: Writer, r: RecordInput, tsDelta: bigint, offsetDelta: number): void {
  const key = r.key ?? null;
  const headers = (r.headers ?? []).map((h) => ({ key: Buffer.from(h.key, 'utf8'), value: h.value }));
  let size = 1 + sizeOfVarlong(tsDelta) + sizeOfVarint(offsetDelta) + sizeOfBytes(key) + sizeOfBytes(r.value);
  size += sizeOfVarint(headers.length);
  for (const h of headers) size += sizeOfBytes(h.key) + sizeOfBytes(h.value);
  w.varint(size).int8(0).varlong(tsDelta).varint(offsetDelta);
  writeBytes(w, key);
  writeBytes(w, r.value);
  w.varint(headers.length);
  for (const h of headers) {
    writeBytes(w, h.key);
    writeBytes(w, h.value);
  }
}

function writeBytes(w: Writer, b: Buffer | null): void {
  if (b === null) w.varint(-1);
  else w.varint(b.length).raw(b);
}

function sizeOfUnsigned(u: bigint): number {
  let n = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    n++;
  }
  return n;
}

const sizeOfVarlong = (v: bigint): number => sizeOfUnsigned(BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)));
const sizeOfVarint = (v: number): number => sizeOfUnsigned(BigInt(((v << 1) ^ (v >> 31)) >>> 0));
const sizeOfBytes = (b: Buffer | null): number => (b === null ? 1 : sizeOfVarint(b.length) + b.length);
