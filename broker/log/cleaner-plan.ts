/**
 * Which part of a compacted log the cleaner may rewrite, and whether it should now (LogCleanerManager's
 * cleanableOffsets and dirty ratio). The cleanable part is the non-active segments that end at or before
 * the first uncleanable offset: the active segment's base, the high watermark, the first open
 * transaction, and the first dirty segment holding a record newer than min.compaction.lag.ms. Within
 * it, segments from the first dirty offset (the cleaner checkpoint) on are dirty; the rest are clean.
 */
import { BATCH_HEADER_SIZE, readBatchHeader } from '../protocol/records';
import type { LogSegment } from './segment';
import type { LogConfig } from './types';

export interface CleanPlan {
  /** Non-active segments below the first uncleanable offset, oldest first. */
  cleanable: LogSegment[];
  /** Index in `cleanable` of the first dirty segment (cleanable.length when none is dirty). */
  firstDirtyIndex: number;
  cleanBytes: number;
  dirtyBytes: number;
  /** A dirty segment's first batch is older than max.compaction.lag.ms. */
  overdue: boolean;
}

const minOf = (...xs: bigint[]) => xs.reduce((a, b) => (b < a ? b : a));

/** The first batch's largest timestamp (Kafka's getFirstBatchTimestamp), or -1. */
function firstBatchTimestamp(seg: LogSegment): bigint {
  if (seg.size < BATCH_HEADER_SIZE) return -1n;
  return readBatchHeader(seg.readBytes(0, BATCH_HEADER_SIZE), 0).maxTimestamp;
}

export function planClean(
  segments: readonly LogSegment[],
  config: Pick<LogConfig, 'minCompactionLagMs' | 'maxCompactionLagMs'>,
  opts: { firstDirtyOffset: bigint; highWatermark: bigint; firstUnstableOffset: bigint | null; now: number },
): CleanPlan {
  const active = segments[segments.length - 1];
  let uncleanable = minOf(
    active.baseOffset,
    opts.highWatermark,
    opts.firstUnstableOffset ?? active.baseOffset,
  );
  const lagLimit = opts.now - config.minCompactionLagMs;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i];
    const dirty = segments[i + 1].baseOffset > opts.firstDirtyOffset;
    if (dirty && config.minCompactionLagMs > 0 && Number(seg.maxTimestamp) > lagLimit) {
      uncleanable = minOf(uncleanable, seg.baseOffset);
      break;
    }
  }
  const cleanable: LogSegment[] = [];
  for (let i = 0; i < segments.length - 1 && segments[i + 1].baseOffset <= uncleanable; i++)
    cleanable.push(segments[i]);
  let firstDirtyIndex = cleanable.findIndex((_, i) => segments[i + 1].baseOffset > opts.firstDirtyOffset);
  if (firstDirtyIndex < 0) firstDirtyIndex = cleanable.length;
  let cleanBytes = 0;
  let dirtyBytes = 0;
  let overdue = false;
  const overdueBefore = BigInt(Math.floor(opts.now - config.maxCompactionLagMs));
  cleanable.forEach((seg, i) => {
    if (i < firstDirtyIndex) cleanBytes += seg.size;
    else {
      dirtyBytes += seg.size;
      const ts = firstBatchTimestamp(seg);
      if (ts > 0n && ts < overdueBefore) overdue = true;
    }
  });
  return { cleanable, firstDirtyIndex, cleanBytes, dirtyBytes, overdue };
}
