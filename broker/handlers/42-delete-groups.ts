/**
 * DeleteGroups (key 42), v0-v2: deletes empty groups and their offsets (tombstones in
 * __consumer_offsets); a group with members is NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { DeleteGroupsResponse } from '../protocol/generated/delete-groups';
import { groupError } from './group-access';
import { defineHandler } from './types';

const RESULT = {
  ok: ErrorCode.NONE,
  'not-found': ErrorCode.GROUP_ID_NOT_FOUND,
  'non-empty': ErrorCode.NON_EMPTY_GROUP,
};

export default defineHandler({
  apiKey: 42,
  minVersion: 0,
  maxVersion: 2,
  handle(req, ctx): DeleteGroupsResponse {
    const results = req.groupsNames.map((groupId) => ({
      groupId,
      errorCode: groupError(ctx.broker, groupId) ?? RESULT[ctx.broker.groups.deleteGroup(groupId)],
    }));
    return { throttleTimeMs: 0, results };
  },
});
