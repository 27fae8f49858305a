/**
 * Per-partition producer state (Kafka's ProducerStateManager): for each producer id its epoch and the
 * metadata of its last five batches, so retries are answered with their original offsets and gaps are
 * refused (KIP-98 idempotence, max.in.flight 5); the first offset of each producer's open transaction,
 * which bounds the last stable offset; and the aborted transactions that read_committed fetches must
 * filter. It is rebuilt from the batch headers (and control markers) when a partition is opened.
 */
import { ErrorCode } from '../protocol/generated/errors';
import { isControl, isTransactional, lastSequenceOf, type BatchHeader } from '../protocol/records';

const CACHED_BATCHES = 5;

interface BatchMeta {
  firstSeq: number;
  lastSeq: number;
  firstOffset: bigint;
  lastOffset: bigint;
}

interface ProducerEntry {
  epoch: number;
  batches: BatchMeta[];
  /** First offset of the open transaction, or -1. */
  txnFirstOffset: bigint;
}

export interface AbortedTxn {
  producerId: bigint;
  firstOffset: bigint;
  lastOffset: bigint;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; firstOffset: bigint; lastOffset: bigint }
  | { kind: 'error'; errorCode: number; message: string };

export class ProducerStateManager {
  private readonly producers = new Map<bigint, ProducerEntry>();
  readonly aborted: AbortedTxn[] = [];

  get size(): number {
    return this.producers.size;
  }

  epochOf(producerId: bigint): number | undefined {
    return this.producers.get(producerId)?.epoch;
  }

  /** Decides what to do with a produced batch before it is appended. */
  check(h: BatchHeader): SequenceCheck {
    if (h.producerId < 0n) return { kind: 'append' };
    const e = this.producers.get(h.producerId);
    const firstSeq = h.baseSequence;
    const lastSeq = lastSequenceOf(firstSeq, h.lastOffsetDelta);
    const outOfOrder = (expected: number): SequenceCheck => ({
      kind: 'error',
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
      message: `Out of order sequence number for producer ${h.producerId}: ${firstSeq} (expected ${expected})`,
    });
    // A producer this partition holds no state for may start at any sequence (Kafka's
    // ProducerAppendInfo.checkSequence, transaction version 1): its state can be gone legitimately,
    // when retention or DeleteRecords removed its batches before the log was reopened (KIP-360).
    if (!e) return { kind: 'append' };
    if (h.producerEpoch < e.epoch)
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `Producer's epoch ${h.producerEpoch} is older than the current epoch ${e.epoch}`,
      };
    if (h.producerEpoch > e.epoch) return firstSeq === 0 ? { kind: 'append' } : outOfOrder(0);
    const dup = e.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
    if (dup) return { kind: 'duplicate', firstOffset: dup.firstOffset, lastOffset: dup.lastOffset };
    const last = e.batches[e.batches.length - 1];
    const expected = last ? (last.lastSeq === 0x7fffffff ? 0 : last.lastSeq + 1) : 0;
    return firstSeq === expected ? { kind: 'append' } : outOfOrder(expected);
  }

  /** Records an appended data batch (or, for control batches, use completeTxn). */
  update(h: BatchHeader, firstOffset: bigint, lastOffset: bigint): void {
    if (h.producerId < 0n || isControl(h.attributes)) return;
    let e = this.producers.get(h.producerId);
    if (!e || h.producerEpoch > e.epoch) {
      e = { epoch: h.producerEpoch, batches: [], txnFirstOffset: e?.txnFirstOffset ?? -1n };
      this.producers.set(h.producerId, e);
    }
    e.batches.push({
      firstSeq: h.baseSequence,
      lastSeq: lastSequenceOf(h.baseSequence, h.lastOffsetDelta),
      firstOffset,
      lastOffset,
    });
    if (e.batches.length > CACHED_BATCHES) e.batches.shift();
    if (isTransactional(h.attributes) && e.txnFirstOffset < 0n) e.txnFirstOffset = firstOffset;
  }

  /** A commit or abort marker at `markerOffset` ends the producer's open transaction here. */
  completeTxn(producerId: bigint, producerEpoch: number, commit: boolean, markerOffset: bigint): void {
    let e = this.producers.get(producerId);
    if (!e) this.producers.set(producerId, (e = { epoch: producerEpoch, batches: [], txnFirstOffset: -1n }));
    if (producerEpoch > e.epoch) e.epoch = producerEpoch;
    if (!commit && e.txnFirstOffset >= 0n)
      this.aborted.push({ producerId, firstOffset: e.txnFirstOffset, lastOffset: markerOffset });
    e.txnFirstOffset = -1n;
  }

  /** The first offset of any open transaction, or null: the last stable offset cannot pass it. */
  firstUnstableOffset(): bigint | null {
    let min: bigint | null = null;
    for (const e of this.producers.values())
      if (e.txnFirstOffset >= 0n && (min === null || e.txnFirstOffset < min)) min = e.txnFirstOffset;
    return min;
  }

  /** Aborted transactions that overlap [from, to] (Fetch's abortedTransactions for read_committed). */
  abortedIn(from: bigint, to: bigint): AbortedTxn[] {
    return this.aborted.filter((a) => a.lastOffset >= from && a.firstOffset <= to);
  }

  /** Forgets what lies at or past `offset` (log truncation) and before `logStart` (retention). */
  truncate(logStart: bigint): void {
    while (this.aborted.length > 0 && this.aborted[0].lastOffset < logStart) this.aborted.shift();
  }
}
