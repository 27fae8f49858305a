/**
 * OffsetCommit (key 8), v2-v9 (Kafka 4 dropped v0-v1, KIP-896). Members commit with their generation
 * (UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION fence stale ones; REBALANCE_IN_PROGRESS only while the group
 * awaits its leader's assignment); generation -1 with no member id is a "simple" commit, allowed while
 * the group has no members (kcat, assign()-based consumers). Offsets are written to __consumer_offsets
 * before the response. Per partition: metadata over offset.metadata.max.bytes (4096) is
 * OFFSET_METADATA_TOO_LARGE; an unknown partition is UNKNOWN_TOPIC_OR_PARTITION.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../protocol/generated/offset-commit';
import type { BrokerContext } from '../node-context';
import { checkCommits, groupError } from './group-access';
import { defineHandler } from './types';

function memberError(broker: BrokerContext, req: OffsetCommitRequest): number | null {
  const generationId = req.generationIdOrMemberEpoch ?? -1;
  const memberId = req.memberId ?? '';
  const group = broker.groups.membership.groups.get(req.groupId);
  if (!group) return generationId < 0 ? null : ErrorCode.ILLEGAL_GENERATION;
  if (group.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (generationId < 0 && !memberId && group.state === 'Empty') return null;
  const err = group.memberError(memberId, req.groupInstanceId ?? null);
  if (err !== null) return err;
  const member = group.members.get(memberId)!;
  if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  // Kafka refuses only CompletingRebalance: members of the current generation commit during
  // PreparingRebalance, which is when clients commit before revoking (onJoinPrepare, KIP-429).
  if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
  member.deadline = Date.now() + member.sessionTimeoutMs;
  return null;
}

export default defineHandler({
  apiKey: 8,
  minVersion: 2,
  maxVersion: 9,
  handle(req, ctx): OffsetCommitResponse {
    const { broker } = ctx;
    const err = groupError(broker, req.groupId) ?? memberError(broker, req);
    const { results: topics, accepted } = checkCommits(broker, req.topics, err);
    broker.groups.offsets.commit(req.groupId, accepted);
    return { throttleTimeMs: 0, topics };
  },
});
