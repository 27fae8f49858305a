/**
 * Rebuilds a partition's producer state from its log when it is opened: every idempotent or
 * transactional batch header updates its producer's sequence window, and every control batch's marker
 * (commit or abort, read from its single control record) closes that producer's transaction. Only
 * headers are read, except for the small control batches.
 */
import {
  ControlRecordType,
  decodeRecords,
  isControl,
  LOG_OVERHEAD,
  readControlRecordType,
} from '../protocol/records';
import type { PartitionLog } from './partition-log';

export function rebuildProducerState(log: PartitionLog): void {
  for (const segment of log.allSegments) {
    segment.scan(0, (h, pos) => {
      if (h.producerId < 0n) return true;
      const last = h.baseOffset + BigInt(h.lastOffsetDelta);
      if (!isControl(h.attributes)) {
        log.producers.update(h, h.baseOffset, last);
        return true;
      }
      const [marker] = decodeRecords(segment.readBytes(pos, h.batchLength + LOG_OVERHEAD));
      const type = readControlRecordType(marker?.key ?? null);
      if (type === ControlRecordType.Commit || type === ControlRecordType.Abort)
        log.producers.completeTxn(
          h.producerId,
          h.producerEpoch,
          type === ControlRecordType.Commit,
          h.baseOffset,
        );
      return true;
    });
  }
  log.producers.truncate(log.logStartOffset);
}
