/** Checks shared by the transaction APIs: is this node the coordinator of the transactional id? */
import { ErrorCode } from '../protocol/generated/errors';
import type { BrokerContext } from '../node-context';

export function txnError(broker: BrokerContext, transactionalId: string): number | null {
  if (!transactionalId) return ErrorCode.INVALID_REQUEST;
  const state = broker.txns.partitionState(transactionalId);
  if (!state) return broker.txns.ensureTxnTopic() ? null : ErrorCode.COORDINATOR_NOT_AVAILABLE;
  return state.leader === broker.nodeId ? null : ErrorCode.NOT_COORDINATOR;
}

/**
 * PRODUCER_FENCED exists from AddPartitionsToTxn, AddOffsetsToTxn and EndTxn v2 and InitProducerId v4
 * on (KIP-588); older versions are told INVALID_PRODUCER_EPOCH for the same fencing, as Kafka does.
 */
export function fencedFor(errorCode: number, version: number, firstFencedVersion: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && version < firstFencedVersion
    ? ErrorCode.INVALID_PRODUCER_EPOCH
    : errorCode;
}
