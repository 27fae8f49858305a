/**
 * The transaction coordinator (KIP-98): producer ids and epochs per transactional id, the partitions
 * of each open transaction, and the two-phase end: PrepareCommit/PrepareAbort is written to
 * __transaction_state, then a commit or abort marker (control batch) to every partition of the
 * transaction, then CompleteCommit/CompleteAbort. A transaction open longer than its timeout is aborted
 * with a bumped epoch, which fences the producer. InitProducerId on a transactional id with an open
 * transaction aborts it first. Producer ids come from the metadata image in blocks (KIP-730).
 */
import { createTopic } from '../controller/topic-lifecycle';
import { partitionForGroup, OFFSETS_TOPIC } from '../group/offsets-topic';
import type { BrokerContext } from '../node-context';
import { ErrorCode } from '../protocol/generated/errors';
import { decodeBatches, encodeEndTxnMarker } from '../protocol/records';
import {
  decodeTxnKey,
  decodeTxnValue,
  encodeTxnKey,
  encodeTxnValue,
  TXN_TOPIC,
  TxnStatus,
  type TxnMetadata,
} from './txn-log';

const ID_BLOCK = 1000;
const MAX_EPOCH = 32767;

export type TxnResult<T = object> = ({ errorCode: 0 } & T) | { errorCode: number };

export class TxnCoordinator {
  private readonly txns = new Map<string, TxnMetadata>();
  private nextId = 0n;
  private idsLeft = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly broker: BrokerContext) {
    this.load();
    this.sweeper = setInterval(() => this.abortTimedOut(Date.now()), 1000);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  get partitions(): number {
    return (
      this.broker.metadata.topic(TXN_TOPIC)?.partitions.length ??
      this.broker.config.transactionStateLogNumPartitions
    );
  }

  ensureTxnTopic(): boolean {
    if (this.broker.metadata.topic(TXN_TOPIC)) return true;
    const { config, metadata } = this.broker;
    const rf = Math.min(config.transactionStateLogReplicationFactor, metadata.liveBrokerIds().length);
    if (rf < 1) return false;
    createTopic(this.broker, TXN_TOPIC, config.transactionStateLogNumPartitions, rf, {
      'cleanup.policy': 'compact',
    });
    return true;
  }

  partitionState(transactionalId: string) {
    return this.broker.metadata.topic(TXN_TOPIC)?.partitions[
      partitionForGroup(transactionalId, this.partitions)
    ];
  }

  newProducerId(): bigint {
    if (this.idsLeft === 0) {
      this.nextId = this.broker.metadata.allocateProducerIds(ID_BLOCK);
      this.idsLeft = ID_BLOCK;
    }
    this.idsLeft--;
    return this.nextId++;
  }

  initProducerId(
    transactionalId: string,
    timeoutMs: number,
  ): TxnResult<{ producerId: bigint; producerEpoch: number }> {
    if (timeoutMs <= 0 || timeoutMs > this.broker.config.transactionMaxTimeoutMs)
      return { errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT };
    const now = BigInt(Date.now());
    let t = this.txns.get(transactionalId);
    if (!t) {
      t = {
        transactionalId,
        producerId: this.newProducerId(),
        producerEpoch: 0,
        timeoutMs,
        status: TxnStatus.Empty,
        partitions: new Map(),
        lastUpdateMs: now,
        startMs: -1n,
      };
    } else {
      // Kafka fences before it aborts (PrepareEpochFence): the abort markers carry epoch+1, so the old
      // producer cannot write on in the transaction's partitions, and the new producer gets epoch+2.
      if (t.status === TxnStatus.Ongoing) {
        if (t.producerEpoch < MAX_EPOCH - 1) t.producerEpoch++;
        this.complete(t, false);
      }
      if (t.producerEpoch >= MAX_EPOCH - 1) {
        t.producerId = this.newProducerId();
        t.producerEpoch = 0;
      } else t.producerEpoch++;
      t.timeoutMs = timeoutMs;
      t.status = TxnStatus.Empty;
      t.partitions = new Map();
      t.lastUpdateMs = now;
    }
    this.txns.set(transactionalId, t);
    this.persist(t);
    return { errorCode: ErrorCode.NONE, producerId: t.producerId, producerEpoch: t.producerEpoch };
  }

  /** Kafka's checks before any change to a transaction: known id, same producer, current epoch. */
  private validate(transactionalId: string, producerId: bigint, producerEpoch: number): TxnMetadata | number {
    const t = this.txns.get(transactionalId);
    if (!t || t.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producerEpoch !== t.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    if (t.status === TxnStatus.PrepareCommit || t.status === TxnStatus.PrepareAbort)
      return ErrorCode.CONCURRENT_TRANSACTIONS;
    return t;
  }

  /** AddPartitionsToTxn: per-partition error codes (all OPERATION_NOT_ATTEMPTED if any one fails). */
  addPartitions(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    topics: { name: string; partitions: number[] }[],
  ): Map<string, Map<number, number>> {
    const result = new Map<string, Map<number, number>>();
    const setAll = (code: (topic: string, p: number) => number) => {
      for (const t of topics) result.set(t.name, new Map(t.partitions.map((p) => [p, code(t.name, p)])));
    };
    const t = this.validate(transactionalId, producerId, producerEpoch);
    if (typeof t === 'number') {
      setAll(() => t);
      return result;
    }
    const unknown = (topic: string, p: number) => !this.broker.metadata.topic(topic)?.partitions[p];
    if (topics.some((x) => x.partitions.some((p) => unknown(x.name, p)))) {
      setAll((topic, p) =>
        unknown(topic, p) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED,
      );
      return result;
    }
    this.open(t);
    for (const x of topics) {
      const set = t.partitions.get(x.name) ?? new Set<number>();
      for (const p of x.partitions) set.add(p);
      t.partitions.set(x.name, set);
    }
    this.persist(t);
    setAll(() => ErrorCode.NONE);
    return result;
  }

  addOffsets(transactionalId: string, producerId: bigint, producerEpoch: number, groupId: string): number {
    const t = this.validate(transactionalId, producerId, producerEpoch);
    if (typeof t === 'number') return t;
    this.broker.groups.ensureOffsetsTopic();
    this.open(t);
    const p = partitionForGroup(groupId, this.broker.groups.partitions);
    t.partitions.set(OFFSETS_TOPIC, (t.partitions.get(OFFSETS_TOPIC) ?? new Set()).add(p));
    this.persist(t);
    return ErrorCode.NONE;
  }

  private open(t: TxnMetadata): void {
    if (t.status !== TxnStatus.Ongoing) {
      t.status = TxnStatus.Ongoing;
      t.startMs = BigInt(Date.now());
      t.partitions = new Map();
    }
    t.lastUpdateMs = BigInt(Date.now());
  }

  endTxn(transactionalId: string, producerId: bigint, producerEpoch: number, commit: boolean): number {
    const t = this.validate(transactionalId, producerId, producerEpoch);
    if (typeof t === 'number') return t;
    // A retried EndTxn after completion is answered as done; the opposite decision is an error.
    if (t.status === TxnStatus.CompleteCommit) return commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
    if (t.status === TxnStatus.CompleteAbort) return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
    // Transaction version 1 (EndTxn v0-v4) accepts neither decision on Empty; clients skip EndTxn then.
    if (t.status === TxnStatus.Empty) return ErrorCode.INVALID_TXN_STATE;
    this.complete(t, commit);
    return ErrorCode.NONE;
  }

  /** Prepare -> markers -> Complete. Markers carry the transaction's producer id and current epoch. */
  private complete(t: TxnMetadata, commit: boolean): void {
    t.status = commit ? TxnStatus.PrepareCommit : TxnStatus.PrepareAbort;
    this.persist(t);
    const marker = () =>
      encodeEndTxnMarker({
        commit,
        coordinatorEpoch: 0,
        producerId: t.producerId,
        producerEpoch: t.producerEpoch,
      });
    for (const [topic, parts] of t.partitions) {
      for (const p of parts) {
        if (topic === OFFSETS_TOPIC) this.broker.groups.completeTxnOffsets(t.producerId, p, commit);
        if (this.broker.replicas.lookup(topic, p).ok)
          this.broker.replicas.appendMarker(topic, p, marker(), commit);
      }
    }
    t.status = commit ? TxnStatus.CompleteCommit : TxnStatus.CompleteAbort;
    t.partitions = new Map();
    t.lastUpdateMs = BigInt(Date.now());
    this.persist(t);
  }

  /** transaction.timeout.ms: abort with a bumped epoch so the old producer is fenced. */
  abortTimedOut(now: number): number {
    let n = 0;
    for (const t of this.txns.values()) {
      if (t.status !== TxnStatus.Ongoing || Number(t.startMs) + t.timeoutMs > now) continue;
      if (t.producerEpoch < MAX_EPOCH - 1) t.producerEpoch++;
      this.complete(t, false);
      n++;
    }
    return n;
  }

  describe(transactionalId: string): TxnMetadata | undefined {
    return this.txns.get(transactionalId);
  }

  all(): IterableIterator<TxnMetadata> {
    return this.txns.values();
  }

  private persist(t: TxnMetadata): void {
    this.ensureTxnTopic();
    const p = partitionForGroup(t.transactionalId, this.partitions);
    this.broker.replicas.appendInternal(TXN_TOPIC, p, [
      { key: encodeTxnKey(t.transactionalId), value: encodeTxnValue(t) },
    ]);
  }

  /** Replays __transaction_state; transactions caught mid-commit/abort are completed now. */
  private load(): void {
    for (const log of this.broker.logs.partitionsOf(TXN_TOPIC)) {
      for (let offset = log.logStartOffset; offset < log.highWatermark;) {
        const { records, nextOffset } = log.read(offset, 1 << 20, log.highWatermark, true);
        if (!records || nextOffset <= offset) break;
        for (const batch of decodeBatches(records)) {
          for (const r of batch.records) {
            const id = r.key ? decodeTxnKey(r.key) : null;
            if (id === null) continue;
            if (r.value) this.txns.set(id, decodeTxnValue(id, r.value));
            else this.txns.delete(id);
          }
        }
        offset = nextOffset;
      }
    }
    for (const t of this.txns.values()) {
      if (t.status === TxnStatus.PrepareCommit) this.complete(t, true);
      else if (t.status === TxnStatus.PrepareAbort) this.complete(t, false);
    }
  }
}
