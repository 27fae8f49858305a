/**
 * Offset lookups by time (ListOffsets): the time index narrows the scan to a few batches, then the
 * matching batch is decoded to find the exact first record with timestamp >= target. For LogAppendTime
 * batches every record carries the batch's maxTimestamp.
 */
import { decodeRecords, LOG_OVERHEAD, timestampTypeOf, type BatchHeader } from '../protocol/records';
import type { PartitionLog } from './partition-log';
import type { LogSegment } from './segment';

export interface TimestampAndOffset {
  timestamp: bigint;
  offset: bigint;
}

function firstRecordAtOrAfter(
  segment: LogSegment,
  h: BatchHeader,
  pos: number,
  target: bigint,
  minOffset: bigint,
): TimestampAndOffset | null {
  const batch = segment.readBytes(pos, h.batchLength + LOG_OVERHEAD);
  const appendTime = timestampTypeOf(h.attributes) === 1;
  for (const r of decodeRecords(batch)) {
    const ts = appendTime ? h.maxTimestamp : r.timestamp;
    if (ts >= target && r.offset >= minOffset) return { timestamp: ts, offset: r.offset };
  }
  return null;
}

/** First record with timestamp >= target below `upper`, or null (Kafka then answers offset -1). */
export function offsetForTimestamp(
  log: PartitionLog,
  target: bigint,
  upper: bigint,
): TimestampAndOffset | null {
  for (const { segment, position } of log.timestampCandidates(target)) {
    let found: TimestampAndOffset | null = null;
    segment.scan(position, (h, pos) => {
      if (h.baseOffset >= upper) return false;
      if (h.maxTimestamp >= target) found = firstRecordAtOrAfter(segment, h, pos, target, log.logStartOffset);
      return found === null;
    });
    if (found) return found;
  }
  return null;
}

/** The record with the largest timestamp (first of equals), KIP-734's MAX_TIMESTAMP. */
export function maxTimestampOffset(log: PartitionLog, upper: bigint): TimestampAndOffset | null {
  const segment = log.maxTimestampSegment();
  if (!segment) return null;
  return offsetForTimestamp(log, segment.maxTimestamp, upper);
}
