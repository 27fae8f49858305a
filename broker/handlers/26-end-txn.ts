/**
 * EndTxn (key 26), v0-v4 (v5 is unstable in these definitions): commits or aborts the producer's
 * transaction; markers are written before the response, so a read_committed consumer sees the
 * outcome as soon as the producer does.
 */
import { fencedFor, txnError } from './txn-access';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 26,
  minVersion: 0,
  maxVersion: 4,
  handle(req, ctx) {
    const errorCode =
      txnError(ctx.broker, req.transactionalId) ??
      ctx.broker.txns.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed);
    return { throttleTimeMs: 0, errorCode: fencedFor(errorCode, ctx.apiVersion, 2) };
  },
});
