/** Checks shared by the transaction APIs: is this node the coordinator of the transactional id? */
import { ErrorCode } from '../protocol/generated/errors';
import type { BrokerContext } from '../node-context';

export function txnError(broker: BrokerContext, transactionalId: string): number | null {
  if (!transactionalId) return ErrorCode.INVALID_REQUEST;
  const state = broker.txns.partitionState(transactionalId);
  if (!state) return broker.txns.ensureTxnTopic() ? null : ErrorCode.COORDINATOR_NOT_AVAILABLE;
  return state.leader === broker.nodeId ? null : ErrorCode.NOT_COORDINATOR;
}
