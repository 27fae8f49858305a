/**
 * The sparse indexes beside each segment (Kafka's implementation docs, "Log"): `.index` maps a relative
 * offset to a byte position (8-byte entries), `.timeindex` maps a timestamp to a relative offset
 * (12-byte entries). Both are append-only and monotonic, kept in memory for binary search and mirrored
 * to their files in one write per flush (segment roll, log flush, close) rather than one per entry, the
 * hot spot with small batches; on recovery they are rebuilt from the log rather than trusted.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

abstract class SparseIndex {
  protected buf: Buffer;
  protected count = 0;
  /** Entries already written to the file. */
  private persisted = 0;
  private fd: number;

  constructor(
    readonly path: string,
    protected readonly entrySize: number,
    load: boolean,
  ) {
    this.fd = openSync(path, load ? 'a+' : 'w+');
    if (load) {
      const data = readFileSync(path);
      this.count = Math.floor(data.length / entrySize);
      this.buf = Buffer.alloc(Math.max(4096, data.length * 2));
      data.copy(this.buf, 0, 0, this.count * entrySize);
      if (data.length !== this.count * entrySize) ftruncateSync(this.fd, this.count * entrySize);
      this.persisted = this.count;
    } else {
      this.buf = Buffer.alloc(4096);
    }
  }

  get entries(): number {
    return this.count;
  }
  get sizeBytes(): number {
    return this.count * this.entrySize;
  }

  protected push(write: (b: Buffer, at: number) => void): void {
    const at = this.count * this.entrySize;
    if (at + this.entrySize > this.buf.length) {
      const next = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(next, 0, 0, at);
      this.buf = next;
    }
    write(this.buf, at);
    this.count++;
  }

  /** Writes the entries added since the last flush, at their positions (truncation moves no fd offset). */
  flush(): void {
    if (this.persisted === this.count) return;
    const from = this.persisted * this.entrySize;
    writeSync(this.fd, this.buf, from, this.count * this.entrySize - from, from);
    this.persisted = this.count;
  }

  /** Index of the last entry whose key is <= target, or -1. */
  protected floor(target: number | bigint, keyAt: (i: number) => number | bigint): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (keyAt(mid) <= target) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Drops entries from `keep` on (log truncation). */
  protected truncateEntries(keep: number): void {
    this.count = Math.max(0, Math.min(keep, this.count));
    this.persisted = Math.min(this.persisted, this.count);
    ftruncateSync(this.fd, this.persisted * this.entrySize);
  }

  reset(): void {
    this.truncateEntries(0);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export class OffsetIndex extends SparseIndex {
  constructor(path: string, load: boolean) {
    super(path, 8, load);
  }

  append(relativeOffset: number, position: number): void {
    this.push((b, at) => {
      b.writeInt32BE(relativeOffset, at);
      b.writeInt32BE(position, at + 4);
    });
  }

  lastRelativeOffset(): number {
    return this.count === 0 ? -1 : this.buf.readInt32BE((this.count - 1) * 8);
  }

  /** Byte position from which to scan for relativeOffset (0 if before the first entry). */
  lookup(relativeOffset: number): number {
    const i = this.floor(relativeOffset, (k) => this.buf.readInt32BE(k * 8));
    return i < 0 ? 0 : this.buf.readInt32BE(i * 8 + 4);
  }

  /** Drops entries at or past byte position `position`. */
  truncateToPosition(position: number): void {
    let keep = this.count;
    while (keep > 0 && this.buf.readInt32BE((keep - 1) * 8 + 4) >= position) keep--;
    this.truncateEntries(keep);
  }
}

export class TimeIndex extends SparseIndex {
  constructor(path: string, load: boolean) {
    super(path, 12, load);
  }

  lastTimestamp(): bigint {
    return this.count === 0 ? -1n : this.buf.readBigInt64BE((this.count - 1) * 12);
  }

  /** Appends only when the timestamp grows, as Kafka's TimeIndex.maybeAppend does. */
  maybeAppend(timestamp: bigint, relativeOffset: number): void {
    if (timestamp <= this.lastTimestamp()) return;
    this.push((b, at) => {
      b.writeBigInt64BE(timestamp, at);
      b.writeInt32BE(relativeOffset, at + 8);
    });
  }

  /** Relative offset from which to scan for the first record with timestamp >= target (0 if none). */
  lookup(timestamp: bigint): number {
    const i = this.floor(timestamp - 1n, (k) => this.buf.readBigInt64BE(k * 12));
    return i < 0 ? 0 : this.buf.readInt32BE(i * 12 + 8);
  }

  truncateToRelativeOffset(relativeOffset: number): void {
    let keep = this.count;
    while (keep > 0 && this.buf.readInt32BE((keep - 1) * 12 + 8) >= relativeOffset) keep--;
    this.truncateEntries(keep);
  }
}
