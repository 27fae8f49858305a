/**
 * Crash-safe installation of a cleaned segment, after Kafka's LogCleaner/LogLoader: the cleaner writes
 * `<base>.log.cleaned` and fsyncs it; renaming it to `<base>.log.swap` is the commit point; then the
 * replaced segments are deleted and the swap file is renamed over `<base>.log`. Only the .log file needs
 * this dance: a segment's indexes are rebuilt from its log whenever it is opened (segment.ts).
 *
 * At open (recoverCleanerFiles): a `.cleaned` file is an uncommitted clean and is deleted; a `.swap` file
 * is a committed one and is completed, deleting the old segments whose base offset lies inside the swap
 * segment's range (Kafka's rule: a segment past the swap's last offset cannot overlap it and is kept).
 */
import { closeSync, fsyncSync, openSync, readdirSync, readSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, readBatchHeader } from '../protocol/records';
import { LogSegment, segmentFileName } from './segment';

export const CLEANED_SUFFIX = '.cleaned';
export const SWAP_SUFFIX = '.swap';
const SEGMENT_EXTS = ['.log', '.index', '.timeindex'];
const SEGMENT_LOG = /^(\d{20})\.log$/;
const SWAP_LOG = /^(\d{20})\.log\.swap$/;

export const cleanedLogPath = (dir: string, baseOffset: bigint) =>
  join(dir, segmentFileName(baseOffset, '.log') + CLEANED_SUFFIX);

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeSegmentFiles(dir: string, baseOffset: bigint): void {
  for (const ext of SEGMENT_EXTS) rmSync(join(dir, segmentFileName(baseOffset, ext)), { force: true });
}

/**
 * Swaps `old` (a contiguous run of closed-for-writing segments, oldest first) for the cleaned file of
 * old[0]'s base offset, returning the opened replacement. The caller has fsynced the cleaned file.
 */
export function installCleanedSegment(
  dir: string,
  old: readonly LogSegment[],
  indexIntervalBytes: number,
): LogSegment {
  const base = old[0].baseOffset;
  const swap = join(dir, segmentFileName(base, '.log') + SWAP_SUFFIX);
  renameSync(cleanedLogPath(dir, base), swap);
  fsyncDir(dir);
  for (const seg of old.slice(1)) seg.delete();
  old[0].close();
  renameSync(swap, old[0].path('.log'));
  rmSync(old[0].path('.index'), { force: true });
  rmSync(old[0].path('.timeindex'), { force: true });
  fsyncDir(dir);
  return LogSegment.open(dir, base, indexIntervalBytes, false).segment;
}

/** The offset after the last whole batch of a log file (its base offset when it holds none). */
function nextOffsetOfFile(path: string, baseOffset: bigint): bigint {
  const fd = openSync(path, 'r');
  const head = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
  let next = baseOffset;
  try {
    for (let pos = 0; readSync(fd, head, 0, BATCH_HEADER_SIZE, pos) === BATCH_HEADER_SIZE;) {
      const h = readBatchHeader(head, 0);
      if (h.batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) break;
      next = h.baseOffset + BigInt(h.lastOffsetDelta) + 1n;
      pos += h.batchLength + LOG_OVERHEAD;
    }
  } finally {
    closeSync(fd);
  }
  return next;
}

/** Deletes uncommitted `.cleaned` files and completes committed `.swap` files (see the header). */
export function recoverCleanerFiles(dir: string): void {
  const files = readdirSync(dir);
  for (const f of files) if (f.endsWith(CLEANED_SUFFIX)) rmSync(join(dir, f), { force: true });
  const bases = files.map((f) => SEGMENT_LOG.exec(f)?.[1]).filter((b): b is string => b !== undefined);
  for (const f of files) {
    const m = SWAP_LOG.exec(f);
    if (!m) continue;
    const base = BigInt(m[1]);
    const next = nextOffsetOfFile(join(dir, f), base);
    for (const b of bases.map(BigInt)) if (b > base && b < next) removeSegmentFiles(dir, b);
    removeSegmentFiles(dir, base);
    renameSync(join(dir, f), join(dir, segmentFileName(base, '.log')));
  }
  if (files.some((f) => SWAP_LOG.test(f) || f.endsWith(CLEANED_SUFFIX))) fsyncDir(dir);
}
