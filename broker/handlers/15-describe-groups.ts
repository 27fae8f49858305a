/**
 * DescribeGroups (key 15), v0-v5. Unknown groups describe as Dead with no error (as Kafka before v6).
 * The protocol name, member metadata and assignments are included only while the group is Stable,
 * as Kafka does (DescribeGroupsResponse.json: "ProtocolData is currently only filled in if the group
 * state is in the Stable state").
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { DescribedGroup, DescribeGroupsResponse } from '../protocol/generated/describe-groups';
import type { BrokerContext } from '../node-context';
import { groupError } from './group-access';
import { defineHandler } from './types';

const EMPTY = Buffer.alloc(0);
// AclOperation bits for groups: READ 3, DELETE 6, DESCRIBE 8.
const GROUP_OPS = (1 << 3) | (1 << 6) | (1 << 8);

function describe(broker: BrokerContext, groupId: string, withOps: boolean): DescribedGroup {
  const authorizedOperations = withOps ? GROUP_OPS : -2147483648;
  const err = groupError(broker, groupId);
  const base = { groupId, protocolType: '', protocolData: '', members: [], authorizedOperations };
  if (err !== null) return { ...base, errorCode: err, groupState: '' };
  const g = broker.groups.membership.groups.get(groupId);
  if (!g) return { ...base, errorCode: ErrorCode.NONE, groupState: broker.groups.stateOf(groupId).state };
  const stable = g.state === 'Stable';
  return {
    errorCode: ErrorCode.NONE,
    groupId,
    groupState: g.state,
    protocolType: g.protocolType ?? '',
    protocolData: stable ? (g.protocolName ?? '') : '',
    members: [...g.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? g.metadataOf(m) : EMPTY,
      memberAssignment: stable ? m.assignment : EMPTY,
    })),
    authorizedOperations,
  };
}

export default defineHandler({
  apiKey: 15,
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx): DescribeGroupsResponse {
    const withOps = req.includeAuthorizedOperations === true;
    return { throttleTimeMs: 0, groups: req.groups.map((id) => describe(ctx.broker, id, withOps)) };
  },
});
