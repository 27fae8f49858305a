/**
 * DeleteRecords (key 21), v0-v2: moves a partition's log start offset up to the given offset (-1 = the
 * high watermark) and drops the segments wholly below it. An offset above the high watermark is
 * OFFSET_OUT_OF_RANGE; the response carries the new low watermark.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { DeleteRecordsResponse } from '../protocol/generated/delete-records';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 21,
  minVersion: 0,
  maxVersion: 2,
  handle(req, ctx): DeleteRecordsResponse {
    const { broker } = ctx;
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const found = broker.replicas.lookup(t.name, p.partitionIndex);
        if (!found.ok)
          return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: found.errorCode };
        const { log } = found;
        const target = p.offset === -1n ? log.highWatermark : p.offset;
        if (target < 0n || target > log.highWatermark) {
          return {
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
          };
        }
        return {
          partitionIndex: p.partitionIndex,
          lowWatermark: log.deleteRecordsBefore(target),
          errorCode: ErrorCode.NONE,
        };
      }),
    }));
    return { throttleTimeMs: 0, topics };
  },
});
