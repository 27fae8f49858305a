/**
 * The log cleaner's read side (design docs, "Log Compaction Details"): walking a segment's batches,
 * finding which transactional data was aborted and where the first open transaction starts (data past it
 * is not cleaned, as Kafka bounds cleaning by the last stable offset), and pass 1, the map from each key
 * in the dirty section to its latest offset.
 */
import {
  BATCH_HEADER_SIZE,
  ControlRecordType,
  LOG_OVERHEAD,
  decodeRecords,
  isControl,
  isTransactional,
  readBatchHeader,
  readControlRecordType,
  type BatchHeader,
} from '../protocol/records';
import type { LogSegment } from './segment';

export interface SegmentBatch {
  header: BatchHeader;
  bytes: Buffer;
}

const CHUNK_BYTES = 1 << 20;

/** Every whole batch of a segment, read in chunks of about 1 MiB. */
export function* segmentBatches(seg: LogSegment): Generator<SegmentBatch> {
  const end = seg.size;
  for (let pos = 0; pos + BATCH_HEADER_SIZE <= end;) {
    const chunk = seg.readBytes(pos, Math.min(CHUNK_BYTES, end - pos));
    let at = 0;
    while (at + BATCH_HEADER_SIZE <= chunk.length) {
      const header = readBatchHeader(chunk, at);
      const size = header.batchLength + LOG_OVERHEAD;
      if (size < BATCH_HEADER_SIZE) throw new Error(`corrupt batch at ${pos + at} in ${seg.path('.log')}`);
      if (at + size > chunk.length) {
        if (at > 0) break;
        // A batch larger than the chunk: read it on its own.
        yield { header, bytes: seg.readBytes(pos, size) };
        at = size;
        break;
      }
      yield { header, bytes: chunk.subarray(at, at + size) };
      at += size;
    }
    if (at === 0) break;
    pos += at;
  }
}

/** Kafka's map key: the key bytes, one char per byte. */
export const keyOf = (key: Buffer): string => key.toString('latin1');

/** What the cleaner needs to know about producers and transactions (KIP-98) in one log. */
export class TxnIndex {
  /** Per producer id: [first offset, marker offset] of each aborted transaction. */
  private readonly aborted = new Map<bigint, [bigint, bigint][]>();
  /** Base offset of each producer's last data batch: kept even when emptied, for its sequence numbers. */
  readonly lastBatchOf = new Map<bigint, bigint>();
  /** The first offset of the earliest transaction without a marker yet, if any. */
  firstUnstableOffset: bigint | null = null;

  static scan(segments: readonly LogSegment[]): TxnIndex {
    const t = new TxnIndex();
    const open = new Map<bigint, bigint>();
    for (const seg of segments) {
      seg.scan(0, (h, pos) => {
        if (h.producerId < 0n) return true;
        if (!isControl(h.attributes)) {
          t.lastBatchOf.set(h.producerId, h.baseOffset);
          if (isTransactional(h.attributes) && !open.has(h.producerId)) open.set(h.producerId, h.baseOffset);
          return true;
        }
        const first = open.get(h.producerId);
        if (first === undefined) return true;
        open.delete(h.producerId);
        const [marker] = decodeRecords(seg.readBytes(pos, h.batchLength + LOG_OVERHEAD));
        if (marker && readControlRecordType(marker.key) === ControlRecordType.Abort) {
          const ranges = t.aborted.get(h.producerId) ?? [];
          ranges.push([first, h.baseOffset]);
          t.aborted.set(h.producerId, ranges);
        }
        return true;
      });
    }
    for (const first of open.values())
      if (t.firstUnstableOffset === null || first < t.firstUnstableOffset) t.firstUnstableOffset = first;
    return t;
  }

  /** A transactional data batch whose transaction ended in an ABORT marker. */
  isAborted(h: BatchHeader): boolean {
    if (!isTransactional(h.attributes) || isControl(h.attributes)) return false;
    const ranges = this.aborted.get(h.producerId);
    return ranges !== undefined && ranges.some(([a, b]) => h.baseOffset >= a && h.baseOffset <= b);
  }
}

export interface OffsetMap {
  latest: Map<string, bigint>;
  /** How many of the dirty segments the map covers (all of them unless maxEntries was reached). */
  segmentsCovered: number;
}

/**
 * Pass 1: key -> latest offset over the dirty segments, skipping control batches and aborted data. The
 * map stops growing at a segment boundary once it holds maxEntries keys (Kafka's dedupe buffer: a
 * bounded map cleans a prefix of the dirty section now and the rest in later rounds).
 */
export function buildOffsetMap(dirty: readonly LogSegment[], txns: TxnIndex, maxEntries: number): OffsetMap {
  const latest = new Map<string, bigint>();
  let segmentsCovered = 0;
  for (const seg of dirty) {
    if (segmentsCovered > 0 && latest.size >= maxEntries) break;
    for (const { header, bytes } of segmentBatches(seg)) {
      if (isControl(header.attributes) || txns.isAborted(header)) continue;
      for (const r of decodeRecords(bytes)) if (r.key !== null) latest.set(keyOf(r.key), r.offset);
    }
    segmentsCovered++;
  }
  return { latest, segmentsCovered };
}
