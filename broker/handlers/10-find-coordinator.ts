/**
 * FindCoordinator (key 10), v0-v6 (v4+ batches keys, KIP-699). Group keys map to the leader of
 * their __consumer_offsets partition, transactional ids to the leader of their __transaction_state
 * partition; both topics are created on first use, as Kafka does.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { Coordinator, FindCoordinatorResponse } from '../protocol/generated/find-coordinator';
import type { BrokerContext } from '../node-context';
import { defineHandler } from './types';

const GROUP = 0;
const TRANSACTION = 1;

function locate(broker: BrokerContext, key: string, keyType: number): Coordinator {
  const none = (errorCode: number, errorMessage: string | null = null): Coordinator => ({
    key,
    nodeId: -1,
    host: '',
    port: -1,
    errorCode,
    errorMessage,
  });
  if (keyType !== GROUP && keyType !== TRANSACTION)
    return none(ErrorCode.INVALID_REQUEST, `Unknown coordinator key type ${keyType}`);
  if (!key) return none(ErrorCode.INVALID_REQUEST, 'The coordinator key must not be empty');
  const coordinator = keyType === GROUP ? broker.groups : broker.txns;
  const ready = keyType === GROUP ? broker.groups.ensureOffsetsTopic() : broker.txns.ensureTxnTopic();
  if (!ready) return none(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  const leader = coordinator.partitionState(key)?.leader ?? -1;
  const node = broker.metadata.brokers.get(leader);
  if (!node || node.fenced) return none(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  return {
    key,
    nodeId: node.nodeId,
    host: node.host,
    port: node.port,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
  };
}

export default defineHandler({
  apiKey: 10,
  minVersion: 0,
  maxVersion: 6,
  handle(req, ctx): FindCoordinatorResponse {
    const keyType = req.keyType ?? GROUP;
    if (ctx.apiVersion >= 4) {
      return {
        throttleTimeMs: 0,
        coordinators: (req.coordinatorKeys ?? []).map((k) => locate(ctx.broker, k, keyType)),
      };
    }
    const c = locate(ctx.broker, req.key ?? '', keyType);
    return {
      throttleTimeMs: 0,
      errorCode: c.errorCode,
      errorMessage: c.errorMessage,
      nodeId: c.nodeId,
      host: c.host,
      port: c.port,
    };
  },
});
