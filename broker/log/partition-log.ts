/**
 * A partition's commit log: an ordered list of segments in `<topic>-<partition>/`, the log start offset,
 * the log end offset (next offset to assign) and the high watermark. Appends assign offsets by patching
 * batch headers in place; reads hand back whole batches below an upper bound (high watermark or LSO).
 * Segments roll on segment.bytes / segment.ms; retention drops whole non-active segments.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setBaseOffset, setLogAppendTime, type BatchHeader } from '../protocol/records';
import { recoverCleanerFiles } from './cleaner-swap';
import { ProducerStateManager } from './producer-state';
import { rebuildProducerState } from './producer-state-loader';
import { LogSegment, segmentFileName, type AppendedBatch } from './segment';
import type { LogConfig } from './types';

export class OffsetOutOfRangeError extends Error {
  override name = 'OffsetOutOfRangeError';
}

export interface ValidatedBatch {
  pos: number;
  size: number;
  header: BatchHeader;
  /** The largest record timestamp, as validation computed it. */
  maxTimestamp: bigint;
}

export interface AppendResult {
  baseOffset: bigint;
  lastOffset: bigint;
  /** -1 unless the topic uses LogAppendTime. */
  logAppendTime: bigint;
}

export interface ReadResult {
  records: Buffer | null;
  nextOffset: bigint;
}

const SEGMENT_FILE = /^(\d{20})\.log$/;
const MAX_RELATIVE_OFFSET = 2_147_483_647n;

export class PartitionLog {
  private segments: LogSegment[] = [];
  /** Producer ids, epochs, sequences and transactions seen in this log (idempotence, KIP-98). */
  readonly producers = new ProducerStateManager();
  logStartOffset = 0n;
  highWatermark = 0n;
  recoveryPoint = 0n;
  private unflushed = 0;
  private lastFlushMs = Date.now();
  private readonly appendListeners = new Set<() => void>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly dir: string,
    public config: LogConfig,
  ) {}

  /**
   * Opens (or creates) the partition directory. Segments after the recovery point, or all of them after
   * an unclean shutdown, are validated batch by batch and a torn tail is cut off.
   */
  static open(
    topic: string,
    partition: number,
    dir: string,
    config: LogConfig,
    opts: {
      topicId: string;
      cleanShutdown: boolean;
      recoveryPoint?: bigint;
      logStartOffset?: bigint;
      highWatermark?: bigint;
    },
  ): { log: PartitionLog; truncatedBytes: number } {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'partition.metadata'), `version: 0\ntopic_id: ${opts.topicId}\n`);
    const log = new PartitionLog(topic, partition, dir, config);
    recoverCleanerFiles(dir);
    const bases = readdirSync(dir)
      .map((f) => SEGMENT_FILE.exec(f)?.[1])
      .filter((b): b is string => b !== undefined)
      .map(BigInt)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let truncatedBytes = 0;
    const recoveryPoint = opts.recoveryPoint ?? 0n;
    for (let i = 0; i < bases.length; i++) {
      const nextBase = bases[i + 1];
      const recover = !opts.cleanShutdown && (nextBase === undefined || nextBase > recoveryPoint);
      const { segment, truncatedBytes: cut } = LogSegment.open(
        dir,
        bases[i],
        config.indexIntervalBytes,
        recover,
      );
      truncatedBytes += cut;
      log.segments.push(segment);
      if (cut > 0) {
        // A bad batch ends the log, as in Kafka's LogLoader.recoverLog: later segments would leave a
        // gap of lost offsets behind data that looks intact, so they are deleted.
        for (const later of bases.slice(i + 1)) truncatedBytes += removeSegmentFiles(dir, later);
        break;
      }
    }
    if (log.segments.length === 0) log.segments.push(LogSegment.create(dir, 0n, config.indexIntervalBytes));
    const first = log.segments[0].baseOffset;
    log.logStartOffset =
      opts.logStartOffset !== undefined && opts.logStartOffset > first ? opts.logStartOffset : first;
    if (log.logStartOffset > log.logEndOffset) log.logStartOffset = log.logEndOffset;
    log.recoveryPoint = log.logEndOffset;
    const hw = opts.highWatermark ?? log.logEndOffset;
    log.highWatermark =
      hw > log.logEndOffset ? log.logEndOffset : hw < log.logStartOffset ? log.logStartOffset : hw;
    rebuildProducerState(log);
    return { log, truncatedBytes };
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1];
  }

  get logEndOffset(): bigint {
    return this.active.nextOffset;
  }

  /** The last stable offset: the high watermark, held back by the first open transaction (KIP-98). */
  get lastStableOffset(): bigint {
    const unstable = this.producers.firstUnstableOffset();
    return unstable !== null && unstable < this.highWatermark ? unstable : this.highWatermark;
  }

  get sizeBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** The segments, oldest first; the last is the active one (for the log cleaner). */
  get allSegments(): readonly LogSegment[] {
    return this.segments;
  }

  /**
   * Log cleaner: swaps a contiguous run of non-active segments for the one `install` returns. False,
   * with nothing installed, when that run is no longer in the log.
   */
  replaceSegments(old: readonly LogSegment[], install: () => LogSegment): boolean {
    const i = this.segments.indexOf(old[0]);
    if (i < 0 || i + old.length >= this.segments.length) return false;
    if (old.some((seg, k) => this.segments[i + k] !== seg)) return false;
    this.segments.splice(i, old.length, install());
    return true;
  }

  /** Wakes fetches waiting for data (long poll) after each append. */
  onAppend(fn: () => void): () => void {
    this.appendListeners.add(fn);
    return () => this.appendListeners.delete(fn);
  }

  /**
   * Appends the validated batches of one produce request (contiguous in `records`), assigning offsets
   * from the log end offset and, for LogAppendTime topics, the broker's clock.
   */
  appendAsLeader(records: Buffer, batches: readonly ValidatedBatch[], now = Date.now()): AppendResult {
    const baseOffset = this.logEndOffset;
    const logAppendTime = this.config.messageTimestampType === 'LogAppendTime' ? BigInt(now) : -1n;
    let next = baseOffset;
    const appended: AppendedBatch[] = [];
    for (const b of batches) {
      setBaseOffset(records, b.pos, next);
      if (logAppendTime >= 0n) setLogAppendTime(records, b.pos, logAppendTime);
      const lastOffset = next + BigInt(b.header.lastOffsetDelta);
      appended.push({
        pos: b.pos,
        size: b.size,
        lastOffset,
        maxTimestamp: logAppendTime >= 0n ? logAppendTime : b.maxTimestamp,
      });
      next = lastOffset + 1n;
    }
    this.maybeRoll(records.length, next - 1n, now);
    this.active.append(records, appended);
    let recordCount = 0;
    for (const b of batches) recordCount += b.header.recordCount;
    this.afterAppend(recordCount);
    return { baseOffset, lastOffset: next - 1n, logAppendTime };
  }

  /** flush.messages / flush.ms: fsync once enough records or time have gone by unflushed. */
  private afterAppend(recordCount: number): void {
    this.unflushed += recordCount;
    if (this.unflushed >= this.config.flushMessages || Date.now() - this.lastFlushMs >= this.config.flushMs)
      this.flush();
    for (const fn of this.appendListeners) fn();
  }

  private maybeRoll(incoming: number, lastOffset: bigint, now: number): void {
    const seg = this.active;
    if (seg.isEmpty) return;
    const full = seg.size + incoming > this.config.segmentBytes;
    const old = now - seg.createdMs > this.config.segmentMs;
    const overflow = lastOffset - seg.baseOffset > MAX_RELATIVE_OFFSET;
    if (full || old || overflow) this.roll();
  }

  roll(): void {
    const seg = this.active;
    seg.flush();
    this.recoveryPoint = seg.nextOffset;
    this.segments.push(LogSegment.create(this.dir, seg.nextOffset, this.config.indexIntervalBytes));
  }

  /** Whole batches from `offset`, below `upperBound`, at most maxBytes unless minOne (KIP-74). */
  read(offset: bigint, maxBytes: number, upperBound: bigint, minOne: boolean): ReadResult {
    if (offset < this.logStartOffset || offset > this.logEndOffset) {
      throw new OffsetOutOfRangeError(
        `offset ${offset} is out of range for ${this.topic}-${this.partition} [${this.logStartOffset}, ${this.logEndOffset}]`,
      );
    }
    if (offset >= upperBound) return { records: null, nextOffset: offset };
    for (let i = this.segmentIndexOf(offset); i < this.segments.length; i++) {
      const seg = this.segments[i];
      const r = seg.read(offset, maxBytes, upperBound, minOne);
      if (r) return { records: r.records, nextOffset: r.nextOffset };
    }
    return { records: null, nextOffset: offset };
  }

  /** Index of the last segment whose base offset is <= offset. */
  private segmentIndexOf(offset: bigint): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The segments to search for a timestamp, in order, with where in each to start scanning. */
  *timestampCandidates(timestamp: bigint): Generator<{ segment: LogSegment; position: number }> {
    for (const seg of this.segments) {
      if (seg.maxTimestamp < timestamp) continue;
      const rel = seg.timeIndex.lookup(timestamp);
      const position = seg.positionOf(seg.baseOffset + BigInt(rel));
      if (position >= 0) yield { segment: seg, position };
    }
  }

  /** The segment holding the largest timestamp (ListOffsets MAX_TIMESTAMP, KIP-734). */
  maxTimestampSegment(): LogSegment | null {
    let best: LogSegment | null = null;
    for (const seg of this.segments)
      if (seg.maxTimestamp >= 0n && (!best || seg.maxTimestamp > best.maxTimestamp)) best = seg;
    return best;
  }

  /** DeleteRecords: moves the log start offset up and drops segments wholly below it. */
  deleteRecordsBefore(offset: bigint): bigint {
    if (offset > this.logStartOffset) this.logStartOffset = offset;
    this.deleteSegmentsWhile(
      (seg, next) => next !== undefined && next.baseOffset <= this.logStartOffset && seg !== this.active,
    );
    return this.logStartOffset;
  }

  /**
   * retention.ms by each segment's largest timestamp, then retention.bytes over the whole log; never the
   * active segment. Returns the number of segments deleted.
   */
  applyRetention(now = Date.now()): number {
    if (!this.config.cleanupPolicy.includes('delete')) return 0;
    let deleted = 0;
    const { retentionMs, retentionBytes } = this.config;
    if (retentionMs >= 0)
      deleted += this.deleteSegmentsWhile((seg) =>
        seg.maxTimestamp >= 0n
          ? now - Number(seg.maxTimestamp) > retentionMs
          : now - seg.createdMs > retentionMs,
      );
    if (retentionBytes >= 0) {
      let excess = this.sizeBytes - retentionBytes;
      deleted += this.deleteSegmentsWhile((seg) => {
        if (excess < seg.size) return false;
        excess -= seg.size;
        return true;
      });
    }
    return deleted;
  }

  private deleteSegmentsWhile(pred: (seg: LogSegment, next: LogSegment | undefined) => boolean): number {
    let n = 0;
    while (this.segments.length > 1 && pred(this.segments[0], this.segments[1])) {
      this.segments.shift()!.delete();
      n++;
    }
    if (n > 0 && this.segments[0].baseOffset > this.logStartOffset)
      this.logStartOffset = this.segments[0].baseOffset;
    return n;
  }

  /** Drops everything at or after `offset` (replica truncation; B4). */
  truncateTo(offset: bigint): void {
    while (this.segments.length > 1 && this.active.baseOffset >= offset) this.segments.pop()!.delete();
    this.active.truncateTo(offset);
    if (this.highWatermark > this.logEndOffset) this.highWatermark = this.logEndOffset;
    if (this.recoveryPoint > this.logEndOffset) this.recoveryPoint = this.logEndOffset;
  }

  flush(): void {
    this.active.flush();
    this.unflushed = 0;
    this.lastFlushMs = Date.now();
    this.recoveryPoint = this.logEndOffset;
  }

  close(): void {
    for (const s of this.segments) s.close();
    this.appendListeners.clear();
  }

  /** Removes the partition directory and everything in it. */
  delete(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Deletes a segment that was never opened; returns the bytes its .log held. */
function removeSegmentFiles(dir: string, baseOffset: bigint): number {
  const size = statSync(join(dir, segmentFileName(baseOffset, '.log'))).size;
  for (const ext of ['.log', '.index', '.timeindex'])
    rmSync(join(dir, segmentFileName(baseOffset, ext)), { force: true });
  return size;
}
