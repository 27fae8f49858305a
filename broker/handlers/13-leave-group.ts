/**
 * LeaveGroup (key 13), v0-v5; v3+ removes a batch of members (KIP-345), each with its own error.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { LeaveGroupResponse } from '../protocol/generated/leave-group';
import { groupError } from './group-access';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 13,
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx): LeaveGroupResponse {
    const err = groupError(ctx.broker, req.groupId);
    if (err !== null) return { throttleTimeMs: 0, errorCode: err, members: [] };
    const membership = ctx.broker.groups.membership;
    if (ctx.apiVersion < 3) {
      return { throttleTimeMs: 0, errorCode: membership.leave(req.groupId, req.memberId ?? '', null) };
    }
    const members = (req.members ?? []).map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId ?? null,
      errorCode: membership.leave(req.groupId, m.memberId, m.groupInstanceId ?? null),
    }));
    if (!membership.groups.has(req.groupId))
      return { throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members };
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, members };
  },
});
