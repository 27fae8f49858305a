/**
 * One log segment: `<20-digit base offset>.log` holding record batches exactly as received (with the
 * broker-assigned offsets patched in), plus its `.index` and `.timeindex`. Writes go to the page cache
 * (fsync only on flush), as Kafka does; reads return whole batches, never a partial one.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_OFFSET,
  computeCrc,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  readBatchHeader,
  type BatchHeader,
} from '../protocol/records';
import { OffsetIndex, TimeIndex } from './indexes';

export const segmentFileName = (baseOffset: bigint, ext: string) =>
  `${baseOffset.toString().padStart(20, '0')}${ext}`;

/** Offsets of the fields of a v2 batch header that the log reads (implementation docs, "Record Batch"). */
const MIN_BATCH_LENGTH = BATCH_HEADER_SIZE - LOG_OVERHEAD;

export interface AppendedBatch {
  pos: number; // position within the appended buffer
  size: number;
  lastOffset: bigint;
  maxTimestamp: bigint;
}

export interface SegmentRead {
  position: number;
  size: number;
  /** The first offset after the last batch returned. */
  nextOffset: bigint;
  /** The batches themselves (position..position+size of the file). */
  records: Buffer;
}

export class LogSegment {
  size: number;
  nextOffset: bigint;
  maxTimestamp = -1n;
  offsetOfMaxTimestamp = -1n;
  readonly createdMs: number;
  private readonly fd: number;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  private bytesSinceIndexEntry = 0;

  private constructor(
    readonly dir: string,
    readonly baseOffset: bigint,
    private readonly indexIntervalBytes: number,
    existing: boolean,
  ) {
    this.fd = openSync(this.path('.log'), existing ? 'a+' : 'w+');
    this.size = fstatSync(this.fd).size;
    this.nextOffset = baseOffset;
    this.offsetIndex = new OffsetIndex(this.path('.index'), existing);
    this.timeIndex = new TimeIndex(this.path('.timeindex'), existing);
    this.createdMs = Date.now();
  }

  static create(dir: string, baseOffset: bigint, indexIntervalBytes: number): LogSegment {
    return new LogSegment(dir, baseOffset, indexIntervalBytes, false);
  }

  /**
   * Opens an existing segment. With `recover`, every batch is checked (bounds, magic, CRC) and the file
   * is truncated at the first bad one (a torn write); the indexes are always rebuilt from the log.
   */
  static open(
    dir: string,
    baseOffset: bigint,
    indexIntervalBytes: number,
    recover: boolean,
  ): { segment: LogSegment; truncatedBytes: number } {
    const s = new LogSegment(dir, baseOffset, indexIntervalBytes, true);
    return { segment: s, truncatedBytes: s.rebuild(recover) };
  }

  path(ext: string): string {
    return join(this.dir, segmentFileName(this.baseOffset, ext));
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** Appends contiguous batches (already carrying their final offsets) and indexes them. */
  append(data: Buffer, batches: readonly AppendedBatch[]): void {
    const start = this.size;
    // Positional: after an ftruncate (truncateTo) the fd's own position is still the old end of file.
    writeSync(this.fd, data, 0, data.length, start);
    for (const b of batches) this.indexBatch(start + b.pos, b.size, b.lastOffset, b.maxTimestamp);
    this.size += data.length;
  }

  private indexBatch(position: number, size: number, lastOffset: bigint, maxTimestamp: bigint): void {
    if (maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = maxTimestamp;
      this.offsetOfMaxTimestamp = lastOffset;
    }
    this.bytesSinceIndexEntry += size;
    if (this.bytesSinceIndexEntry > this.indexIntervalBytes) {
      const rel = Number(lastOffset - this.baseOffset);
      this.offsetIndex.append(rel, position);
      this.timeIndex.maybeAppend(this.maxTimestamp, Number(this.offsetOfMaxTimestamp - this.baseOffset));
      this.bytesSinceIndexEntry = 0;
    }
    this.nextOffset = lastOffset + 1n;
  }

  readBytes(position: number, size: number): Buffer {
    const buf = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = readSync(this.fd, buf, done, size - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done === size ? buf : buf.subarray(0, done);
  }

  /** Calls fn for each batch header from `position` on, until fn returns false. */
  scan(position: number, fn: (h: BatchHeader, pos: number) => boolean): void {
    const head = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
    for (let pos = position; pos + BATCH_HEADER_SIZE <= this.size;) {
      if (readSync(this.fd, head, 0, BATCH_HEADER_SIZE, pos) < BATCH_HEADER_SIZE) return;
      const h = readBatchHeader(head, 0);
      if (!fn(h, pos)) return;
      pos += h.batchLength + LOG_OVERHEAD;
    }
  }

  /** Byte position of the batch holding `offset` (or the first batch after it); -1 if none. */
  positionOf(offset: bigint): number {
    let found = -1;
    const rel = offset < this.baseOffset ? 0 : Number(offset - this.baseOffset);
    this.scan(this.offsetIndex.lookup(rel), (h, pos) => {
      if (h.baseOffset + BigInt(h.lastOffsetDelta) >= offset) {
        found = pos;
        return false;
      }
      return true;
    });
    return found;
  }

  /**
   * Whole batches starting at the one holding `offset`, at most maxBytes (but the first batch whatever
   * its size when minOne: KIP-74), none at or past `upperBound` (the high watermark or LSO).
   */
  read(offset: bigint, maxBytes: number, upperBound: bigint, minOne: boolean): SegmentRead | null {
    const position = this.positionOf(offset);
    if (position < 0) return null;
    // One read of up to maxBytes, then the batch headers are walked in memory: a fetch costs one
    // syscall instead of one per batch. Only a first batch larger than maxBytes (KIP-74) reads again.
    let buf = this.readBytes(position, Math.min(Math.max(maxBytes, BATCH_HEADER_SIZE), this.size - position));
    let size = 0;
    let nextOffset = offset;
    while (size + BATCH_HEADER_SIZE <= buf.length || (size === 0 && minOne && buf.length >= LOG_OVERHEAD)) {
      if (size + BATCH_HEADER_SIZE > buf.length) buf = this.readBytes(position, BATCH_HEADER_SIZE);
      const batchSize = buf.readInt32BE(size + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
      const last = buf.readBigInt64BE(size) + BigInt(buf.readInt32BE(size + LAST_OFFSET_DELTA_OFFSET));
      if (last >= upperBound) break;
      if (size + batchSize > maxBytes && !(minOne && size === 0)) break;
      if (size + batchSize > buf.length) {
        if (size > 0) break; // the next batch did not fit in this read
        buf = this.readBytes(position, batchSize);
      }
      size += batchSize;
      nextOffset = last + 1n;
    }
    return size === 0 ? null : { position, size, nextOffset, records: buf.subarray(0, size) };
  }

  /** Validates the log from the start, truncating at the first bad batch; rebuilds both indexes. */
  private rebuild(recover: boolean): number {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.bytesSinceIndexEntry = 0;
    const fileSize = this.size;
    let valid = 0;
    const head = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
    while (valid + BATCH_HEADER_SIZE <= fileSize) {
      if (readSync(this.fd, head, 0, BATCH_HEADER_SIZE, valid) < BATCH_HEADER_SIZE) break;
      const h = readBatchHeader(head, 0);
      const batchSize = h.batchLength + LOG_OVERHEAD;
      if (h.magic !== 2 || h.batchLength < MIN_BATCH_LENGTH || valid + batchSize > fileSize) break;
      if (h.baseOffset < this.nextOffset) break;
      if (recover && computeCrc(this.readBytes(valid, batchSize), 0) !== h.crc) break;
      this.indexBatch(valid, batchSize, h.baseOffset + BigInt(h.lastOffsetDelta), h.maxTimestamp);
      valid += batchSize;
    }
    if (valid < fileSize) ftruncateSync(this.fd, valid);
    this.size = valid;
    this.offsetIndex.flush();
    this.timeIndex.flush();
    return fileSize - valid;
  }

  /** Drops every batch at or after `offset` (a follower's divergent tail, or recovery). */
  truncateTo(offset: bigint): void {
    const pos = this.positionOf(offset);
    if (pos < 0) return;
    ftruncateSync(this.fd, pos);
    this.size = pos;
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1n;
    this.rebuild(false);
  }

  flush(): void {
    this.offsetIndex.flush();
    this.timeIndex.flush();
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
    this.offsetIndex.close();
    this.timeIndex.close();
  }

  delete(): void {
    this.close();
    for (const ext of ['.log', '.index', '.timeindex']) rmSync(this.path(ext), { force: true });
  }
}
