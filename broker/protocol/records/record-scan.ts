/**
 * Allocation-free walk over the records of one batch (Kafka docs 5.3.2 "Record"), for the produce hot
 * path: it proves every record parses to exactly its declared length, that offsetDeltas run 0..n-1 and
 * that exactly recordCount records fill the section, without creating an object per record.
 *
 * Reader (../reader.ts) is the general decoder; here the timestamp delta is read as a double, not a
 * bigint, because a BigInt per record costs more than the rest of the walk (deltas are small; values past
 * 2^53 lose precision but still parse to the right length, which is what validation needs).
 */

/** attributes, timestampDelta, offsetDelta, keyLength, valueLength, headerCount: one byte each at least. */
const MIN_RECORD_BODY = 6;

class RecordFormatError extends Error {}

/** Read position shared by the helpers below, so reading a varint allocates nothing. */
let cur = 0;

/** Zig-zag varint of at most 5 bytes, as Kafka's ByteUtils.readVarint. */
function varint(buf: Buffer, limit: number): number {
  let u = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (cur >= limit) throw new RecordFormatError('truncated varint');
    const b = buf[cur++];
    u |= (b & 0x7f) << shift;
    if (b < 0x80) return (u >>> 1) ^ -(u & 1);
  }
  throw new RecordFormatError('varint longer than 5 bytes');
}

/** Zig-zag varlong of at most 10 bytes, as a double. */
function varlong(buf: Buffer, limit: number): number {
  let u = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (cur >= limit) throw new RecordFormatError('truncated varlong');
    const b = buf[cur++];
    u += (b & 0x7f) * mul;
    if (b < 0x80) return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    mul *= 128;
  }
  throw new RecordFormatError('varlong longer than 10 bytes');
}

/** What a scan learned, written into a caller-owned object so a scan allocates nothing. */
export interface ScanStats {
  firstTimestampDelta: number;
  minTimestampDelta: number;
  maxTimestampDelta: number;
  /** Index of the first record carrying the largest timestamp (Kafka's offsetOfMaxTimestamp). */
  maxTimestampIndex: number;
  /** Record the error is about, for the produce response's record_errors (KIP-467), else -1. */
  errorIndex: number;
  /** Indexes of keyless records when keys are required (all of them, not just the first). */
  keyless: number[];
}

export function newScanStats(): ScanStats {
  return {
    firstTimestampDelta: 0,
    minTimestampDelta: 0,
    maxTimestampDelta: 0,
    maxTimestampIndex: -1,
    errorIndex: -1,
    keyless: [],
  };
}

/**
 * Walks `count` records in buf[pos, end). Returns null when they are well formed, else why not. With
 * requireKeys a null key fails (Kafka refuses keyless records on compacted topics).
 */
export function scanRecords(
  buf: Buffer,
  pos: number,
  end: number,
  count: number,
  requireKeys: boolean,
  s: ScanStats,
): string | null {
  cur = pos;
  s.errorIndex = -1;
  s.keyless = [];
  s.maxTimestampIndex = -1;
  let min = Infinity;
  let max = -Infinity;
  let i = 0;
  try {
    for (; i < count; i++) {
      if (cur >= end) return `batch declares ${count} records but holds ${i}`;
      const len = varint(buf, end);
      const recEnd = cur + len;
      if (len < MIN_RECORD_BODY || recEnd > end) return `record ${i} has invalid size ${len}`;
      cur++; // record attributes: unused (docs 5.3.2)
      const tsDelta = varlong(buf, recEnd);
      const offsetDelta = varint(buf, recEnd);
      if (offsetDelta !== i) {
        s.errorIndex = i;
        return `record ${i} has offsetDelta ${offsetDelta}; inner offsets must run 0..${count - 1}`;
      }
      const keyLen = varint(buf, recEnd);
      if (keyLen >= 0) cur += keyLen;
      else if (keyLen !== -1) return `record ${i} has invalid key length ${keyLen}`;
      else if (requireKeys) s.keyless.push(i); // Kafka's LogValidator reports every such record (KIP-467)
      const valueLen = varint(buf, recEnd);
      if (valueLen >= 0) cur += valueLen;
      else if (valueLen !== -1) return `record ${i} has invalid value length ${valueLen}`;
      const headers = varint(buf, recEnd);
      if (headers < 0) return `record ${i} has invalid header count ${headers}`;
      for (let h = 0; h < headers; h++) {
        const keySize = varint(buf, recEnd);
        if (keySize < 0) return `record ${i} has a header with invalid key length ${keySize}`;
        cur += keySize;
        const valueSize = varint(buf, recEnd);
        if (valueSize >= 0) cur += valueSize;
        else if (valueSize !== -1) return `record ${i} has a header with invalid value length ${valueSize}`;
      }
      if (cur !== recEnd)
        return `record ${i} declares ${len} bytes but its fields take ${cur - recEnd + len}`;
      if (i === 0) s.firstTimestampDelta = tsDelta;
      if (tsDelta > max) {
        max = tsDelta;
        s.maxTimestampIndex = i;
      }
      if (tsDelta < min) min = tsDelta;
    }
  } catch (e) {
    if (e instanceof RecordFormatError) return `record ${i}: ${e.message}`;
    throw e;
  }
  if (cur !== end) return `Incorrect declared batch size, records still remaining after ${count} records`;
  if (s.keyless.length > 0) {
    s.errorIndex = s.keyless[0];
    return 'Compacted topic cannot accept message without key';
  }
  s.minTimestampDelta = min;
  s.maxTimestampDelta = max;
  return null;
}
