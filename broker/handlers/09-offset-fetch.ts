/**
 * OffsetFetch (key 9), v1-v9 (Kafka 4 dropped v0). topics null (v2+) means every partition the group
 * has committed; v8+ asks for several groups at once (KIP-709). A partition without a commit answers
 * offset -1 with empty metadata. requireStable (v7, KIP-447) answers UNSTABLE_OFFSET_COMMIT while a
 * transactional offset commit for the group is still open.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { OffsetFetchResponse, OffsetFetchResponsePartitions } from '../protocol/generated/offset-fetch';
import type { BrokerContext } from '../node-context';
import { groupError } from './group-access';
import { defineHandler } from './types';

interface Wanted {
  name: string;
  partitionIndexes: number[];
}

function fetchGroup(
  broker: BrokerContext,
  groupId: string,
  topics: readonly Wanted[] | null,
  requireStable: boolean,
) {
  const err =
    groupError(broker, groupId) ??
    (requireStable && broker.groups.hasPendingTxnOffsets(groupId) ? ErrorCode.UNSTABLE_OFFSET_COMMIT : null);
  if (err !== null)
    return { errorCode: err, topics: [] as { name: string; partitions: OffsetFetchResponsePartitions[] }[] };
  const store = broker.groups.offsets;
  let wanted: Wanted[];
  if (topics === null) {
    const byTopic = new Map<string, number[]>();
    for (const e of store.entries(groupId))
      byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e.partition]);
    wanted = [...byTopic].map(([name, partitionIndexes]) => ({
      name,
      partitionIndexes: partitionIndexes.sort((a, b) => a - b),
    }));
  } else wanted = [...topics];
  return {
    errorCode: ErrorCode.NONE,
    topics: wanted.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => {
        const c = store.get(groupId, t.name, p);
        return {
          partitionIndex: p,
          committedOffset: c?.offset ?? -1n,
          committedLeaderEpoch: c?.leaderEpoch ?? -1,
          metadata: c?.metadata ?? '',
          errorCode: ErrorCode.NONE,
        };
      }),
    })),
  };
}

export default defineHandler({
  apiKey: 9,
  minVersion: 1,
  maxVersion: 9,
  handle(req, ctx): OffsetFetchResponse {
    const { broker, apiVersion: v } = ctx;
    if (v >= 8) {
      const groups = (req.groups ?? []).map((g) => ({
        groupId: g.groupId,
        ...fetchGroup(broker, g.groupId, g.topics, req.requireStable === true),
      }));
      return { throttleTimeMs: 0, groups };
    }
    const r = fetchGroup(broker, req.groupId ?? '', req.topics ?? null, req.requireStable === true);
    return { throttleTimeMs: 0, errorCode: r.errorCode, topics: r.topics };
  },
});
