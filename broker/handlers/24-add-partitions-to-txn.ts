/**
 * AddPartitionsToTxn (key 24), v0-v4 (v5 is unstable in these definitions). v0-v3 carry one
 * transaction from a client; v4+ batches transactions (KIP-890, broker-to-coordinator) with
 * verifyOnly. If any partition is unknown, the others answer OPERATION_NOT_ATTEMPTED, as Kafka does.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type {
  AddPartitionsToTxnResponse,
  AddPartitionsToTxnTopic,
  AddPartitionsToTxnTopicResult,
} from '../protocol/generated/add-partitions-to-txn';
import type { BrokerContext } from '../node-context';
import { fencedFor, txnError } from './txn-access';
import { defineHandler } from './types';

function add(
  broker: BrokerContext,
  version: number,
  id: string,
  pid: bigint,
  epoch: number,
  topics: AddPartitionsToTxnTopic[],
  verifyOnly: boolean,
) {
  const err = txnError(broker, id);
  let codes: Map<string, Map<number, number>>;
  if (err !== null || verifyOnly) {
    const t = broker.txns.describe(id);
    codes = new Map(
      topics.map((x) => [
        x.name,
        new Map(
          x.partitions.map((p) => [
            p,
            err ?? (t?.partitions.get(x.name)?.has(p) ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE),
          ]),
        ),
      ]),
    );
  } else codes = broker.txns.addPartitions(id, pid, epoch, topics);
  return [...codes].map(([name, parts]): AddPartitionsToTxnTopicResult => ({
    name,
    resultsByPartition: [...parts].map(([partitionIndex, partitionErrorCode]) => ({
      partitionIndex,
      partitionErrorCode: fencedFor(partitionErrorCode, version, 2),
    })),
  }));
}

export default defineHandler({
  apiKey: 24,
  minVersion: 0,
  maxVersion: 4,
  handle(req, ctx): AddPartitionsToTxnResponse {
    const { broker, apiVersion: v } = ctx;
    if (v <= 3) {
      const results = add(
        broker,
        v,
        req.v3AndBelowTransactionalId ?? '',
        req.v3AndBelowProducerId ?? -1n,
        req.v3AndBelowProducerEpoch ?? -1,
        req.v3AndBelowTopics ?? [],
        false,
      );
      return { throttleTimeMs: 0, resultsByTopicV3AndBelow: results };
    }
    const resultsByTransaction = (req.transactions ?? []).map((t) => ({
      transactionalId: t.transactionalId,
      topicResults: add(
        broker,
        v,
        t.transactionalId,
        t.producerId,
        t.producerEpoch,
        t.topics,
        t.verifyOnly === true,
      ),
    }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction };
  },
});
