/**
 * Fetch (key 1), v4-v17 (Kafka 4 dropped v0-v3, KIP-896; v13+ names topics by id, KIP-516).
 * Serves whole record batches straight from segment files, below the high watermark (read_uncommitted)
 * or the last stable offset (read_committed, with the aborted transactions in the range), at most partitionMaxBytes per partition and maxBytes per
 * response, except that the first batch is always returned whole (KIP-74). Long poll: when fewer than
 * minBytes are available the request waits up to maxWaitMs and is woken by appends, not by a timer.
 * Fetch sessions (KIP-227) are not created: sessionId 0 tells clients to send full fetches; an unknown
 * session id gets FETCH_SESSION_ID_NOT_FOUND.
 */
import type { BrokerContext } from '../node-context';
import { OffsetOutOfRangeError, type PartitionLog } from '../log/partition-log';
import { ErrorCode } from '../protocol/generated/errors';
import type {
  FetchRequest,
  FetchResponse,
  FetchableTopicResponse,
  PartitionData,
} from '../protocol/generated/fetch';
import { ZERO_UUID } from '../protocol/reader';
import { defineHandler } from './types';

const READ_COMMITTED = 1;
// Kafka answers "no data" with an empty record set, never a null one (librdkafka rejects size -1).
const NO_RECORDS = Buffer.alloc(0);

interface FetchPass {
  response: FetchResponse;
  bytes: number;
  hasError: boolean;
  logs: PartitionLog[];
}

function emptyPartition(partitionIndex: number, errorCode: number): PartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    records: NO_RECORDS,
    abortedTransactions: null,
  };
}

function readOnce(req: FetchRequest, v: number, broker: BrokerContext): FetchPass {
  const byId = v >= 13;
  let remaining = v >= 3 ? (req.maxBytes ?? 0x7fffffff) : 0x7fffffff;
  let bytes = 0;
  let hasError = false;
  const logs: PartitionLog[] = [];
  const responses: FetchableTopicResponse[] = req.topics.map((t) => {
    const topic = byId
      ? broker.metadata.topicById(t.topicId ?? ZERO_UUID)
      : broker.metadata.topic(t.topic ?? '');
    const unknown = byId && !topic ? ErrorCode.UNKNOWN_TOPIC_ID : null;
    const partitions = t.partitions.map((p): PartitionData => {
      if (unknown !== null) {
        hasError = true;
        return emptyPartition(p.partition, unknown);
      }
      const found = broker.replicas.leaderLog(topic, p.partition, p.currentLeaderEpoch ?? -1);
      if (!found.ok) {
        hasError = true;
        return emptyPartition(p.partition, found.errorCode);
      }
      const log = found.log;
      logs.push(log);
      const lastStable = log.lastStableOffset;
      const readCommitted = req.isolationLevel === READ_COMMITTED;
      const upper = readCommitted ? lastStable : log.highWatermark;
      const base = {
        partitionIndex: p.partition,
        highWatermark: log.highWatermark,
        lastStableOffset: lastStable,
        logStartOffset: log.logStartOffset,
        abortedTransactions: null as { producerId: bigint; firstOffset: bigint }[] | null,
        preferredReadReplica: -1,
      };
      try {
        const maxBytes = Math.min(p.partitionMaxBytes, remaining);
        const r =
          maxBytes > 0 || bytes === 0
            ? log.read(p.fetchOffset, Math.max(maxBytes, 0), upper, bytes === 0)
            : { records: null, nextOffset: p.fetchOffset };
        const size = r.records?.length ?? 0;
        bytes += size;
        remaining -= size;
        // read_committed consumers drop the records of these aborted transactions (KIP-98).
        if (readCommitted)
          base.abortedTransactions = log.producers
            .abortedIn(p.fetchOffset, r.nextOffset - 1n)
            .map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }));
        return { ...base, errorCode: ErrorCode.NONE, records: r.records ?? NO_RECORDS };
      } catch (err) {
        if (!(err instanceof OffsetOutOfRangeError)) throw err;
        hasError = true;
        return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: NO_RECORDS };
      }
    });
    return byId ? { topicId: t.topicId, partitions } : { topic: t.topic, partitions };
  });
  return {
    response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses },
    bytes,
    hasError,
    logs,
  };
}

/** Resolves on the first append to any of the logs, or after ms. */
function waitForData(logs: readonly PartitionLog[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const offs: (() => void)[] = [];
    const done = () => {
      clearTimeout(timer);
      for (const off of offs) off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const l of logs) offs.push(l.onAppend(done));
  });
}

export default defineHandler({
  apiKey: 1,
  minVersion: 4,
  maxVersion: 17,
  async handle(req, ctx): Promise<FetchResponse> {
    const { broker, apiVersion: v } = ctx;
    if (v >= 7 && (req.sessionId ?? 0) !== 0) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
        sessionId: 0,
        responses: [],
      };
    }
    const deadline = Date.now() + Math.max(0, req.maxWaitMs);
    for (;;) {
      const pass = readOnce(req, v, broker);
      const left = deadline - Date.now();
      if (pass.bytes >= req.minBytes || pass.hasError || left <= 0 || pass.logs.length === 0)
        return pass.response;
      await waitForData(pass.logs, left);
    }
  },
});
