/**
 * Leader-side partition access for the data-plane handlers: finds the local log of a partition this
 * node leads, appends to it and keeps the high watermark. The high watermark is the smallest log end
 * offset across the ISR (design docs, "Replication"); while this node is the only ISR member that is
 * its own log end offset. Follower fetchers and ISR changes arrive with multi-node replication (B4).
 */
import type { MetadataImage, PartitionState, TopicState } from '../controller/metadata-image';
import type { LogManager } from '../log/log-manager';
import type { AppendResult, PartitionLog, ValidatedBatch } from '../log/partition-log';
import { ErrorCode, KAFKA_ERRORS } from '../protocol/generated/errors';
import { encodeBatch, readBatchHeader, validateProduceRecords } from '../protocol/records';

export class InternalAppendError extends Error {
  override name = 'InternalAppendError';
  constructor(
    topic: string,
    partition: number,
    readonly errorCode: number,
  ) {
    super(`cannot append to ${topic}-${partition}: ${KAFKA_ERRORS[errorCode]?.name ?? errorCode}`);
  }
}

export type ProduceAppend =
  ({ kind: 'appended' | 'duplicate' } & AppendResult) | { kind: 'error'; errorCode: number; message: string };

export type LeaderLookup =
  | { ok: true; topic: TopicState; state: PartitionState; log: PartitionLog }
  | { ok: false; errorCode: number };

export class ReplicaManager {
  constructor(
    private readonly nodeId: number,
    private readonly metadata: MetadataImage,
    readonly logs: LogManager,
  ) {
    // Leading from start-up, as Kafka's Partition.makeLeader does (maybeIncrementLeaderHW): after a
    // crash the checkpointed high watermark lags the log, and acknowledged records would stay
    // invisible until the next append; with this node the whole ISR it is the log end offset.
    for (const log of logs.all()) {
      const state = metadata.topic(log.topic)?.partitions[log.partition];
      if (state?.leader === nodeId) this.maybeAdvanceHighWatermark(state, log);
    }
  }

  /** The log of a partition this node leads, or Kafka's error for why it cannot serve it. */
  leaderLog(topic: TopicState | undefined, partition: number, currentLeaderEpoch = -1): LeaderLookup {
    if (!topic) return { ok: false, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    const state = topic.partitions[partition];
    if (!state) return { ok: false, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    if (currentLeaderEpoch >= 0 && currentLeaderEpoch < state.leaderEpoch)
      return { ok: false, errorCode: ErrorCode.FENCED_LEADER_EPOCH };
    if (currentLeaderEpoch > state.leaderEpoch)
      return { ok: false, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH };
    if (state.leader !== this.nodeId) return { ok: false, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
    const log = this.logs.get(topic.name, partition);
    if (!log) return { ok: false, errorCode: ErrorCode.KAFKA_STORAGE_ERROR };
    return { ok: true, topic, state, log };
  }

  lookup(name: string, partition: number, currentLeaderEpoch = -1): LeaderLookup {
    return this.leaderLog(this.metadata.topic(name), partition, currentLeaderEpoch);
  }

  /**
   * Appends a produced batch after the producer-state checks of idempotence (KIP-98): a retried batch
   * already in the log is answered with its original offsets (`duplicate`), a sequence gap or a stale
   * epoch is refused with Kafka's error. Advances the high watermark when this node is the whole ISR.
   */
  appendAsLeader(
    found: Extract<LeaderLookup, { ok: true }>,
    records: Buffer,
    batches: readonly ValidatedBatch[],
  ): ProduceAppend {
    const { log } = found;
    for (const b of batches) {
      const check = log.producers.check(b.header);
      if (check.kind === 'duplicate')
        return {
          kind: 'duplicate',
          baseOffset: check.firstOffset,
          lastOffset: check.lastOffset,
          logAppendTime: -1n,
        };
      if (check.kind === 'error') return check;
    }
    const result = log.appendAsLeader(records, batches);
    let next = result.baseOffset;
    for (const b of batches) {
      const last = next + BigInt(b.header.lastOffsetDelta);
      log.producers.update(b.header, next, last);
      next = last + 1n;
    }
    this.maybeAdvanceHighWatermark(found.state, log);
    return { kind: 'appended', ...result };
  }

  /** Writes a transaction marker (a control batch made by the coordinator) and closes the transaction. */
  appendMarker(topic: string, partition: number, marker: Buffer, commit: boolean): void {
    const found = this.lookup(topic, partition);
    if (!found.ok) throw new InternalAppendError(topic, partition, found.errorCode);
    const header = readBatchHeader(marker, 0);
    const batch: ValidatedBatch = { pos: 0, size: marker.length, header, maxTimestamp: header.maxTimestamp };
    const { baseOffset } = found.log.appendAsLeader(marker, [batch]);
    found.log.producers.completeTxn(header.producerId, header.producerEpoch, commit, baseOffset);
    this.maybeAdvanceHighWatermark(found.state, found.log);
  }

  /**
   * Appends records the broker itself writes (coordinator state in __consumer_offsets and
   * __transaction_state) as one uncompressed batch stamped with the broker's clock.
   */
  appendInternal(
    topic: string,
    partition: number,
    records: { key: Buffer; value: Buffer | null }[],
    txn?: { producerId: bigint; producerEpoch: number },
  ): AppendResult {
    const found = this.lookup(topic, partition);
    if (!found.ok) throw new InternalAppendError(topic, partition, found.errorCode);
    const now = BigInt(Date.now());
    const batch = encodeBatch({
      records: records.map((r) => ({ key: r.key, value: r.value, timestamp: now })),
      ...(txn
        ? {
            producerId: txn.producerId,
            producerEpoch: txn.producerEpoch,
            baseSequence: 0,
            transactional: true,
          }
        : {}),
    });
    const v = validateProduceRecords(batch, { maxMessageBytes: 0x7fffffff });
    if (!v.ok) throw new Error(`internal batch failed validation: ${v.message}`);
    const r = found.log.appendAsLeader(batch, v.batches);
    // A transactional batch opens the producer's transaction here, holding the LSO until its marker.
    if (txn) found.log.producers.update(v.batches[0].header, r.baseOffset, r.lastOffset);
    this.maybeAdvanceHighWatermark(found.state, found.log);
    return r;
  }

  private maybeAdvanceHighWatermark(state: PartitionState, log: PartitionLog): void {
    if (state.isr.every((id) => id === this.nodeId) && log.highWatermark < log.logEndOffset) {
      log.highWatermark = log.logEndOffset;
    }
  }
}
