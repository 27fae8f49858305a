/** Checks shared by the group APIs: is this node the coordinator of the group? */
import { ErrorCode } from '../protocol/generated/errors';
import type { BrokerContext } from '../node-context';

/** NOT_COORDINATOR when another node leads the group's __consumer_offsets partition; null when we serve it. */
export function groupError(broker: BrokerContext, groupId: string): number | null {
  if (!groupId) return ErrorCode.INVALID_GROUP_ID;
  const state = broker.groups.partitionState(groupId);
  if (!state) return broker.groups.ensureOffsetsTopic() ? null : ErrorCode.COORDINATOR_NOT_AVAILABLE;
  return state.leader === broker.nodeId ? null : ErrorCode.NOT_COORDINATOR;
}
