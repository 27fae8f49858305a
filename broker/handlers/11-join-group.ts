/**
 * JoinGroup (key 11), v0-v9. v4+ first joins get MEMBER_ID_REQUIRED with their id (KIP-394); v5+
 * static members (KIP-345); v7+ protocol type in the response; v9 skipAssignment (always false: the
 * classic protocol has the leader assign). The response waits for the rebalance to complete.
 */
import type { JoinGroupResponse } from '../protocol/generated/join-group';
import { groupError } from './group-access';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 11,
  minVersion: 0,
  maxVersion: 9,
  async handle(req, ctx): Promise<JoinGroupResponse> {
    const err = groupError(ctx.broker, req.groupId);
    const r: JoinGroupResponse =
      err !== null
        ? {
            errorCode: err,
            generationId: -1,
            protocolName: null,
            leader: '',
            memberId: req.memberId,
            members: [],
          }
        : await ctx.broker.groups.membership.join(
            req,
            ctx.apiVersion,
            ctx.header.clientId ?? '',
            `/${ctx.connection.remoteAddress}`,
          );
    // The protocol name only became nullable in v7 (KIP-559).
    return ctx.apiVersion < 7 && r.protocolName === null ? { ...r, protocolName: '' } : r;
  },
});
