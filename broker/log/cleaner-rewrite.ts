/**
 * Pass 2 of the log cleaner: recopies a group of segments into one `.cleaned` file, keeping a record only
 * if no later offset holds its key (pass 1's map), as MemoryRecords.filterTo and LogCleaner do:
 * - Offsets never change: a rewritten batch keeps its original base offset, each record its original
 *   offset delta, and the batch its lastOffsetDelta (a producer's last sequence survives compaction).
 *   Timestamps, headers, producer fields, leader epoch and the compression codec are kept.
 * - A batch that loses nothing is copied byte for byte; one that loses everything is dropped, unless it
 *   is its producer's last batch, which stays as an empty batch (Kafka's BatchRetention.RETAIN_EMPTY).
 * - Aborted transactional data is dropped; control batches (transaction markers) are always kept, where
 *   Kafka drops a marker once its transaction's data is gone and its delete horizon has passed.
 * - Keyless records are dropped, as Kafka's cleaner does (a compacted topic rejects them at produce; they
 *   can only come from a time when the topic was not compacted).
 * - Tombstones follow KIP-534: the first clean that keeps a tombstone stamps its batch with a delete
 *   horizon (now + delete.retention.ms, in baseTimestamp with attribute bit 6); a later clean after that
 *   horizon removes it. A horizon with no tombstone left under it is cleared once it passes, so expired
 *   horizons never keep a log due for cleaning.
 */
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import {
  LOG_APPEND_TIME,
  compressionOf,
  decodeRecords,
  encodeBatch,
  hasDeleteHorizon,
  isControl,
  isTransactional,
  timestampTypeOf,
  type DecodedRecord,
} from '../protocol/records';
import { cleanedLogPath } from './cleaner-swap';
import { keyOf, segmentBatches, type SegmentBatch, type TxnIndex } from './cleaner-scan';
import type { LogSegment } from './segment';

export interface CleanContext {
  latest: ReadonlyMap<string, bigint>;
  txns: TxnIndex;
  now: bigint;
  deleteRetentionMs: number;
}

export interface RewriteStats {
  recordsRead: number;
  recordsRemoved: number;
  /** The earliest delete horizon still pending in what was written, or null. */
  nextDeleteHorizon: bigint | null;
}

export const newRewriteStats = (): RewriteStats => ({
  recordsRead: 0,
  recordsRemoved: 0,
  nextDeleteHorizon: null,
});

const WRITE_BUFFER_BYTES = 1 << 20;

function retain(r: DecodedRecord, horizon: bigint | null, ctx: CleanContext): boolean {
  if (r.key === null) return false;
  const latest = ctx.latest.get(keyOf(r.key));
  if (latest !== undefined && r.offset < latest) return false;
  return !(r.value === null && horizon !== null && ctx.now >= horizon);
}

/** The bytes to write for one batch (the original ones when nothing changes), or null to drop it. */
function filterBatch(
  { header: h, bytes }: SegmentBatch,
  ctx: CleanContext,
  stats: RewriteStats,
): Buffer | null {
  const horizon = hasDeleteHorizon(h.attributes) ? h.baseTimestamp : null;
  if (isControl(h.attributes)) return bytes;
  const records = decodeRecords(bytes);
  const aborted = ctx.txns.isAborted(h);
  const kept = aborted ? [] : records.filter((r) => retain(r, horizon, ctx));
  stats.recordsRead += records.length;
  stats.recordsRemoved += records.length - kept.length;
  const tombstones = kept.some((r) => r.value === null);
  const nextHorizon = tombstones
    ? (horizon ?? ctx.now + BigInt(ctx.deleteRetentionMs))
    : horizon !== null && ctx.now < horizon
      ? horizon
      : null;
  if (nextHorizon !== null && (stats.nextDeleteHorizon === null || nextHorizon < stats.nextDeleteHorizon))
    stats.nextDeleteHorizon = nextHorizon;
  if (kept.length === records.length && nextHorizon === horizon) return bytes;
  if (kept.length === 0 && !(h.producerId >= 0n && ctx.txns.lastBatchOf.get(h.producerId) === h.baseOffset))
    return null;
  const appendTime = timestampTypeOf(h.attributes) === LOG_APPEND_TIME;
  return encodeBatch({
    baseOffset: h.baseOffset,
    lastOffsetDelta: h.lastOffsetDelta,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
    compression: compressionOf(h.attributes),
    timestampType: timestampTypeOf(h.attributes),
    transactional: isTransactional(h.attributes),
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    deleteHorizon: nextHorizon !== null,
    baseTimestamp: nextHorizon ?? (kept.length === 0 ? h.baseTimestamp : undefined),
    maxTimestamp: appendTime || kept.length === 0 ? h.maxTimestamp : undefined,
    records: kept.map((r) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestamp: r.timestamp,
      offsetDelta: Number(r.offset - h.baseOffset),
    })),
  });
}

/** Writes the cleaned copy of `group` to `<first base>.log.cleaned` and fsyncs it. */
export function writeCleanedGroup(
  dir: string,
  group: readonly LogSegment[],
  ctx: CleanContext,
  stats: RewriteStats,
): void {
  const path = cleanedLogPath(dir, group[0].baseOffset);
  const fd = openSync(path, 'w');
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pendingBytes > 0) writeSync(fd, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    for (const seg of group) {
      for (const batch of segmentBatches(seg)) {
        const out = filterBatch(batch, ctx, stats);
        if (out === null) continue;
        pending.push(out);
        pendingBytes += out.length;
        if (pendingBytes >= WRITE_BUFFER_BYTES) flush();
      }
    }
    flush();
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw err;
  }
  closeSync(fd);
}
