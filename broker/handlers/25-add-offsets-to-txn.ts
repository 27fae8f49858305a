/**
 * AddOffsetsToTxn (key 25), v0-v4: adds the group's __consumer_offsets partition to the transaction,
 * so its TxnOffsetCommit becomes visible with the transaction's commit marker.
 */
import { fencedFor, txnError } from './txn-access';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 25,
  minVersion: 0,
  maxVersion: 4,
  handle(req, ctx) {
    const errorCode =
      txnError(ctx.broker, req.transactionalId) ??
      ctx.broker.txns.addOffsets(req.transactionalId, req.producerId, req.producerEpoch, req.groupId);
    return { throttleTimeMs: 0, errorCode: fencedFor(errorCode, ctx.apiVersion, 2) };
  },
});
