/**
 * ListOffsets (key 2), v0-v9 (v10 is unstable in these definitions). Special timestamps: -2 earliest
 * (log start offset), -1 latest (high watermark, or the last stable offset for read_committed), -3 the
 * record with the largest timestamp (KIP-734), -4 earliest local (KIP-405, = earliest without tiered
 * storage), -5 latest tiered (none: -1). Other values look up the first record with timestamp >= it
 * through the time index. v0 answers in the old "offsets" array form.
 */
import { maxTimestampOffset, offsetForTimestamp, type TimestampAndOffset } from '../log/timestamp-lookup';
import { ErrorCode } from '../protocol/generated/errors';
import type { ListOffsetsPartitionResponse, ListOffsetsResponse } from '../protocol/generated/list-offsets';
import { defineHandler } from './types';

const EARLIEST = -2n;
const LATEST = -1n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;
const LATEST_TIERED = -5n;

export default defineHandler({
  apiKey: 2,
  minVersion: 0,
  maxVersion: 9,
  handle(req, ctx): ListOffsetsResponse {
    const { broker, apiVersion: v } = ctx;
    const readCommitted = (req.isolationLevel ?? 0) === 1;
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p): ListOffsetsPartitionResponse => {
        const found = broker.replicas.lookup(t.name, p.partitionIndex, p.currentLeaderEpoch ?? -1);
        if (!found.ok)
          return {
            partitionIndex: p.partitionIndex,
            errorCode: found.errorCode,
            timestamp: -1n,
            offset: -1n,
            oldStyleOffsets: [],
          };
        const { log, state } = found;
        const upper = readCommitted ? log.lastStableOffset : log.highWatermark;
        let hit: TimestampAndOffset | null;
        if (p.timestamp === EARLIEST || p.timestamp === EARLIEST_LOCAL)
          hit = { timestamp: -1n, offset: log.logStartOffset };
        else if (p.timestamp === LATEST) hit = { timestamp: -1n, offset: upper };
        else if (p.timestamp === MAX_TIMESTAMP) hit = maxTimestampOffset(log, upper);
        else if (p.timestamp === LATEST_TIERED) hit = null;
        else if (p.timestamp < 0n)
          return {
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.INVALID_REQUEST,
            timestamp: -1n,
            offset: -1n,
            oldStyleOffsets: [],
          };
        else hit = offsetForTimestamp(log, p.timestamp, upper);
        const offset = hit?.offset ?? -1n;
        return {
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCode.NONE,
          oldStyleOffsets: v === 0 ? (offset >= 0n ? [offset] : []) : [],
          timestamp: hit?.timestamp ?? -1n,
          offset,
          leaderEpoch: hit ? state.leaderEpoch : -1,
        };
      }),
    }));
    return { throttleTimeMs: 0, topics };
  },
});
