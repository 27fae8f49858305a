/**
 * The log cleaner (design docs, "Log Compaction"; Kafka's LogCleaner and LogCleanerManager). Every
 * log.cleaner.backoff.ms it looks at each log whose cleanup.policy includes compact and cleans it when
 * the dirty share of its cleanable part reaches min.cleanable.dirty.ratio, when a dirty segment is older
 * than max.compaction.lag.ms, or when a tombstone's delete horizon has passed. A clean builds the map of
 * the dirty section's keys (cleaner-scan.ts), recopies the cleanable segments in groups no larger than
 * segment.bytes (so small cleaned segments merge), and swaps each group in crash-safely
 * (cleaner-swap.ts). The first dirty offset of each log is kept in `cleaner-offset-checkpoint` per log
 * dir, in Kafka's checkpoint format. With cleanup.policy=compact,delete retention still applies.
 *
 * A log is cleaned synchronously on the event loop: appends, fetches and retention never see a half-swapped
 * log, at the cost of a pause proportional to the segments recopied.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger';
import { hasDeleteHorizon } from '../protocol/records';
import { readCheckpoint, writeCheckpoint } from './checkpoints';
import { planClean, type CleanPlan } from './cleaner-plan';
import { newRewriteStats, writeCleanedGroup, type CleanContext, type RewriteStats } from './cleaner-rewrite';
import { buildOffsetMap, TxnIndex } from './cleaner-scan';
import { cleanedLogPath, installCleanedSegment } from './cleaner-swap';
import type { PartitionLog } from './partition-log';
import type { LogSegment } from './segment';

/** Kafka's name for the file of first dirty offsets, one per log dir. */
export const CLEANER_OFFSET_CHECKPOINT = 'cleaner-offset-checkpoint';

export interface CleanerSettings {
  /** log.cleaner.enable */
  enabled: boolean;
  /** log.cleaner.backoff.ms: the pause between checks. */
  backoffMs: number;
}

/** Reads Kafka's cleaner keys from the broker's static properties (defaults: enabled, 15 s). */
export function cleanerSettings(props: ReadonlyMap<string, string>): CleanerSettings {
  const backoff = Number(props.get('log.cleaner.backoff.ms') ?? '15000');
  return {
    enabled: props.get('log.cleaner.enable')?.trim().toLowerCase() !== 'false',
    backoffMs: Number.isFinite(backoff) && backoff > 0 ? backoff : 15_000,
  };
}

export interface CleanResult {
  topic: string;
  partition: number;
  firstDirtyOffset: bigint;
  /** The new first dirty offset: everything below it has been cleaned. */
  endOffset: bigint;
  segmentsBefore: number;
  segmentsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsRemoved: number;
}

const MAX_RELATIVE_OFFSET = 2_147_483_647n;
const keyOfLog = (l: PartitionLog) => `${l.topic}-${l.partition}`;

/** Runs of consecutive segments whose total size stays within segment.bytes (Kafka's groupSegmentsBySize). */
function groupBySize(segments: readonly LogSegment[], maxBytes: number): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let group: LogSegment[] = [];
  let size = 0;
  for (const seg of segments) {
    const tooBig = size + seg.size > maxBytes;
    if (group.length > 0 && (tooBig || seg.nextOffset - 1n - group[0].baseOffset > MAX_RELATIVE_OFFSET)) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(seg);
    size += seg.size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

export class LogCleaner {
  private readonly firstDirty = new Map<string, bigint>();
  /** The earliest delete horizon pending in each log's clean section (null: none). */
  private readonly deleteHorizons = new Map<string, bigint | null>();
  private readonly failed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dirs: readonly string[],
    private readonly logs: () => Iterable<PartitionLog>,
    private readonly log: Logger,
    /** Pass 1's key limit per round (Kafka sizes it by log.cleaner.dedupe.buffer.size). */
    private readonly maxMapEntries = 1_000_000,
  ) {
    for (const dir of dirs)
      for (const [k, offset] of readCheckpoint(dir, CLEANER_OFFSET_CHECKPOINT))
        this.firstDirty.set(k, offset);
  }

  start(backoffMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.cleanNow(), backoffMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A deleted partition: its checkpoint entry goes with the next write. */
  forget(topic: string, partition: number): void {
    const k = `${topic}-${partition}`;
    this.firstDirty.delete(k);
    this.deleteHorizons.delete(k);
    this.failed.delete(k);
  }

  /** The cleaner checkpoint of a log, moved into the log's current range. */
  firstDirtyOffset(plog: PartitionLog): bigint {
    const start = plog.allSegments[0].baseOffset;
    const cp = this.firstDirty.get(keyOfLog(plog));
    return cp === undefined || cp < start || cp > plog.logEndOffset ? start : cp;
  }

  /** One round over every compacted log; returns what was cleaned. */
  cleanNow(now = Date.now()): CleanResult[] {
    const results: CleanResult[] = [];
    for (const plog of this.logs()) {
      const k = keyOfLog(plog);
      if (!plog.config.cleanupPolicy.includes('compact') || this.failed.has(k)) continue;
      try {
        const r = this.cleanLog(plog, now);
        if (r) results.push(r);
      } catch (err) {
        // Kafka marks such a partition uncleanable rather than retrying it forever.
        this.failed.add(k);
        this.log.error({ err, partition: k }, 'log cleaning failed; partition marked uncleanable');
      }
    }
    if (results.length > 0) this.checkpoint();
    return results;
  }

  private shouldClean(plan: CleanPlan, minRatio: number, horizonDue: boolean): boolean {
    if (plan.cleanable.length === 0) return false;
    const total = plan.cleanBytes + plan.dirtyBytes;
    if (plan.dirtyBytes > 0 && (plan.overdue || plan.dirtyBytes / total >= minRatio)) return true;
    return horizonDue && plan.firstDirtyIndex > 0;
  }

  /** The pending delete horizon of a log, found from batch headers the first time a log is seen. */
  private pendingHorizon(plog: PartitionLog, firstDirty: bigint): bigint | null {
    const k = keyOfLog(plog);
    if (this.deleteHorizons.has(k)) return this.deleteHorizons.get(k)!;
    let min: bigint | null = null;
    for (const seg of plog.allSegments.slice(0, -1)) {
      if (seg.baseOffset >= firstDirty) break;
      seg.scan(0, (h) => {
        if (hasDeleteHorizon(h.attributes) && (min === null || h.baseTimestamp < min)) min = h.baseTimestamp;
        return true;
      });
    }
    this.deleteHorizons.set(k, min);
    return min;
  }

  private cleanLog(plog: PartitionLog, now: number): CleanResult | null {
    const segments = plog.allSegments;
    if (segments.length < 2) return null;
    const firstDirtyOffset = this.firstDirtyOffset(plog);
    const opts = { firstDirtyOffset, highWatermark: plog.highWatermark, firstUnstableOffset: null, now };
    const { config } = plog;
    const horizon = this.pendingHorizon(plog, firstDirtyOffset);
    const horizonDue = horizon !== null && horizon <= BigInt(now);
    let plan = planClean(segments, config, opts);
    if (!this.shouldClean(plan, config.minCleanableDirtyRatio, horizonDue)) return null;
    const txns = TxnIndex.scan(segments);
    if (txns.firstUnstableOffset !== null) {
      plan = planClean(segments, config, { ...opts, firstUnstableOffset: txns.firstUnstableOffset });
      if (!this.shouldClean(plan, config.minCleanableDirtyRatio, horizonDue)) return null;
    }
    const dirty = plan.cleanable.slice(plan.firstDirtyIndex);
    const { latest, segmentsCovered } = buildOffsetMap(dirty, txns, this.maxMapEntries);
    const toClean = plan.cleanable.slice(0, plan.firstDirtyIndex + segmentsCovered);
    const endOffset = segments[toClean.length].baseOffset;
    const ctx = { latest, txns, now: BigInt(now), deleteRetentionMs: config.deleteRetentionMs };
    const stats = newRewriteStats();
    const result: CleanResult = {
      topic: plog.topic,
      partition: plog.partition,
      firstDirtyOffset,
      endOffset,
      segmentsBefore: toClean.length,
      segmentsAfter: 0,
      bytesBefore: toClean.reduce((n, s) => n + s.size, 0),
      bytesAfter: 0,
      recordsRemoved: 0,
    };
    const cleaned = this.swapGroups(plog, groupBySize(toClean, config.segmentBytes), ctx, stats);
    // Groups are sized by the segments' sizes before cleaning (as Kafka's are); merging what came out
    // small right away saves a round. Recopying is idempotent: the same map keeps the same records.
    const merged = groupBySize(cleaned, config.segmentBytes).flatMap((g) =>
      g.length > 1 ? this.swapGroups(plog, [g], ctx, stats) : g,
    );
    result.segmentsAfter = merged.length;
    result.bytesAfter = merged.reduce((n, s) => n + s.size, 0);
    result.recordsRemoved = stats.recordsRemoved;
    this.firstDirty.set(keyOfLog(plog), endOffset);
    this.deleteHorizons.set(keyOfLog(plog), stats.nextDeleteHorizon);
    this.log.info(
      { ...result, firstDirtyOffset: `${firstDirtyOffset}`, endOffset: `${endOffset}` },
      'log cleaned',
    );
    return result;
  }

  /** Recopies each group into one segment and swaps it in; returns the new segments. */
  private swapGroups(
    plog: PartitionLog,
    groups: readonly LogSegment[][],
    ctx: CleanContext,
    stats: RewriteStats,
  ): LogSegment[] {
    const out: LogSegment[] = [];
    for (const group of groups) {
      writeCleanedGroup(plog.dir, group, ctx, stats);
      let cleaned: LogSegment | null = null;
      const install = () =>
        (cleaned = installCleanedSegment(plog.dir, group, plog.config.indexIntervalBytes));
      if (!plog.replaceSegments(group, install) || !cleaned) {
        rmSync(cleanedLogPath(plog.dir, group[0].baseOffset), { force: true });
        throw new Error(`segments of ${keyOfLog(plog)} changed while being cleaned`);
      }
      out.push(cleaned);
    }
    return out;
  }

  /** Writes `cleaner-offset-checkpoint` in every log dir. */
  checkpoint(): void {
    const all = [...this.logs()];
    for (const dir of this.dirs) {
      const entries: [string, number, bigint][] = [];
      for (const l of all) {
        const offset = this.firstDirty.get(keyOfLog(l));
        if (offset !== undefined && l.dir.startsWith(join(dir, '/')))
          entries.push([l.topic, l.partition, offset]);
      }
      writeCheckpoint(dir, CLEANER_OFFSET_CHECKPOINT, entries);
    }
  }
}
