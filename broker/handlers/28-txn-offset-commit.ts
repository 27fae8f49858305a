/**
 * TxnOffsetCommit (key 28), v0-v4: offsets committed inside a transaction are held by the group
 * coordinator until the transaction's marker arrives (commit: they become the group's committed
 * offsets; abort: dropped). v3+ carries the member's generation (KIP-447) and is fenced like
 * OffsetCommit. The producer must own the transactional id with the current epoch.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { TxnOffsetCommitResponse } from '../protocol/generated/txn-offset-commit';
import { checkCommits, groupError } from './group-access';
import { fencedFor } from './txn-access';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 28,
  minVersion: 0,
  maxVersion: 4,
  handle(req, ctx): TxnOffsetCommitResponse {
    const { broker } = ctx;
    const t = broker.txns.describe(req.transactionalId);
    let err = groupError(broker, req.groupId);
    if (err === null && (!t || t.producerId !== req.producerId)) err = ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    // KIP-447 (v3) is where the group coordinator learns about fencing; before that the client knows
    // only INVALID_PRODUCER_EPOCH (kafkajs speaks v0-v2).
    else if (err === null && t!.producerEpoch !== req.producerEpoch)
      err = fencedFor(ErrorCode.PRODUCER_FENCED, ctx.apiVersion, 3);
    const generationId = req.generationId ?? -1;
    const group = broker.groups.membership.groups.get(req.groupId);
    if (err === null && generationId >= 0 && group) {
      if (!group.members.has(req.memberId ?? '')) err = ErrorCode.UNKNOWN_MEMBER_ID;
      else if (generationId !== group.generationId) err = ErrorCode.ILLEGAL_GENERATION;
    }
    const { results: topics, accepted: entries } = checkCommits(broker, req.topics, err);
    if (entries.length > 0)
      broker.groups.addTxnOffsets(req.producerId, req.producerEpoch, req.groupId, entries);
    return { throttleTimeMs: 0, topics };
  },
});
