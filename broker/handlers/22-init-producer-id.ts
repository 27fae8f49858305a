/**
 * InitProducerId (key 22), v0-v5. Without a transactional id: a fresh producer id, epoch 0 (idempotent
 * producer). With one: the transaction coordinator's id and a bumped epoch, fencing older producers and
 * aborting a transaction they left open (KIP-98); the timeout may not exceed transaction.max.timeout.ms.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { InitProducerIdResponse } from '../protocol/generated/init-producer-id';
import { txnError } from './txn-access';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 22,
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx): InitProducerIdResponse {
    const { txns } = ctx.broker;
    const fail = (errorCode: number): InitProducerIdResponse => ({
      throttleTimeMs: 0,
      errorCode,
      producerId: -1n,
      producerEpoch: -1,
    });
    if (req.transactionalId === null || req.transactionalId === '') {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        producerId: txns.newProducerId(),
        producerEpoch: 0,
      };
    }
    const err = txnError(ctx.broker, req.transactionalId);
    if (err !== null) return fail(err);
    const r = txns.initProducerId(req.transactionalId, req.transactionTimeoutMs);
    if (!('producerId' in r)) return fail(r.errorCode);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      producerId: r.producerId,
      producerEpoch: r.producerEpoch,
    };
  },
});
