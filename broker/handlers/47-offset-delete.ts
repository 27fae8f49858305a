/**
 * OffsetDelete (key 47), v0 (KIP-496): deletes a group's committed offsets for partitions of topics
 * none of its members subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise).
 */
import { readConsumerProtocolSubscription } from '../protocol/generated/consumer-protocol-subscription';
import { ErrorCode } from '../protocol/generated/errors';
import type { OffsetDeleteResponse } from '../protocol/generated/offset-delete';
import { Reader } from '../protocol/reader';
import type { Group } from '../group/group';
import { groupError } from './group-access';
import { defineHandler } from './types';

function subscribedTopics(g: Group | undefined): Set<string> {
  const out = new Set<string>();
  if (!g || g.protocolType !== 'consumer') return out;
  for (const m of g.members.values()) {
    const meta = g.metadataOf(m);
    try {
      const r = new Reader(meta);
      const version = r.int16();
      for (const t of readConsumerProtocolSubscription(r, version).topics) out.add(t);
    } catch {
      // Undecodable subscription: treat as subscribed to nothing, as Kafka does.
    }
  }
  return out;
}

export default defineHandler({
  apiKey: 47,
  minVersion: 0,
  maxVersion: 0,
  handle(req, ctx): OffsetDeleteResponse {
    const { groups } = ctx.broker;
    const err = groupError(ctx.broker, req.groupId);
    if (err !== null) return { errorCode: err, throttleTimeMs: 0, topics: [] };
    const g = groups.membership.groups.get(req.groupId);
    if (!g && !groups.offsets.hasOffsets(req.groupId))
      return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, throttleTimeMs: 0, topics: [] };
    const subscribed = subscribedTopics(g);
    const deletable: { topic: string; partition: number }[] = [];
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (subscribed.has(t.name))
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
        if (!ctx.broker.metadata.topic(t.name)?.partitions[p.partitionIndex])
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (groups.offsets.get(req.groupId, t.name, p.partitionIndex))
          deletable.push({ topic: t.name, partition: p.partitionIndex });
        return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
      }),
    }));
    groups.offsets.delete(req.groupId, deletable);
    return { errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics };
  },
});
