/**
 * Records of __transaction_state in Kafka's schemas (TransactionLogKey v0: transactional id;
 * TransactionLogValue v0: producer id and epoch, timeout, status, partitions, timestamps), keyed to a
 * partition by the transactional id's Java hash code like the group coordinator's topic.
 */
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';

export const TXN_TOPIC = '__transaction_state';

export const TxnStatus = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;
export type TxnStatusCode = (typeof TxnStatus)[keyof typeof TxnStatus];

export interface TxnMetadata {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  timeoutMs: number;
  status: TxnStatusCode;
  /** topic -> partitions in the open transaction */
  partitions: Map<string, Set<number>>;
  lastUpdateMs: bigint;
  startMs: bigint;
}

export function encodeTxnKey(transactionalId: string): Buffer {
  return new Writer(64).int16(0).string(transactionalId).toBuffer();
}

export function decodeTxnKey(b: Buffer): string | null {
  const r = new Reader(b);
  return r.int16() === 0 ? r.string() : null;
}

export function encodeTxnValue(t: TxnMetadata): Buffer {
  const w = new Writer(128)
    .int16(0)
    .int64(t.producerId)
    .int16(t.producerEpoch)
    .int32(t.timeoutMs)
    .int8(t.status);
  w.int32(t.partitions.size);
  for (const [topic, parts] of t.partitions) {
    w.string(topic).int32(parts.size);
    for (const p of parts) w.int32(p);
  }
  return w.int64(t.lastUpdateMs).int64(t.startMs).toBuffer();
}

export function decodeTxnValue(transactionalId: string, b: Buffer): TxnMetadata {
  const r = new Reader(b);
  r.int16();
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const timeoutMs = r.int32();
  const status = r.int8() as TxnStatusCode;
  const partitions = new Map<string, Set<number>>();
  for (let n = r.arrayLength(); n > 0; n--) {
    const topic = r.string();
    const parts = new Set<number>();
    for (let k = r.arrayLength(); k > 0; k--) parts.add(r.int32());
    partitions.set(topic, parts);
  }
  return {
    transactionalId,
    producerId,
    producerEpoch,
    timeoutMs,
    status,
    partitions,
    lastUpdateMs: r.int64(),
    startMs: r.int64(),
  };
}
