/**
 * ListGroups (key 16), v0-v5: every group this coordinator holds, offset-only groups included (as
 * Empty); v4+ filters by state (case-insensitive, KIP-518), v5+ by type (classic only here, KIP-848).
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { ListGroupsResponse } from '../protocol/generated/list-groups';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 16,
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx): ListGroupsResponse {
    const groups = ctx.broker.groups;
    const states = (req.statesFilter ?? []).map((s) => s.toLowerCase());
    const types = (req.typesFilter ?? []).map((s) => s.toLowerCase());
    const listed = groups
      .allGroupIds()
      .map((groupId) => ({ groupId, ...groups.stateOf(groupId) }))
      .filter((g) => g.state !== 'Dead')
      .filter((g) => states.length === 0 || states.includes(g.state.toLowerCase()))
      .filter(() => types.length === 0 || types.includes('classic'))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType,
        groupState: g.state,
        groupType: 'classic',
      }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: listed };
  },
});
