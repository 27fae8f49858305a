/**
 * Heartbeat (key 12), v0-v4: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to
 * rejoin; UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION / FENCED_INSTANCE_ID fence stale members.
 */
import { groupError } from './group-access';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 12,
  minVersion: 0,
  maxVersion: 4,
  handle(req, ctx) {
    const err = groupError(ctx.broker, req.groupId);
    const errorCode =
      err ??
      ctx.broker.groups.membership.heartbeat(
        req.groupId,
        req.memberId,
        req.generationId,
        req.groupInstanceId ?? null,
      );
    return { throttleTimeMs: 0, errorCode };
  },
});
