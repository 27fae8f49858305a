/**
 * Control records (Kafka docs 5.3.1.1): the single record of a control batch. Its key is
 * version int16 (0) + type int16; for transaction markers (KIP-98) the value is the EndTransactionMarker
 * version int16 (0) + coordinatorEpoch int32. Consumers read the type to drop aborted data.
 */
import { encodeBatch } from './records';

/** Kafka's ControlRecordType ids; 2-6 belong to the KRaft metadata log (KIP-595, KIP-630, KIP-853). */
export const ControlRecordType = {
  Abort: 0,
  Commit: 1,
  LeaderChange: 2,
  SnapshotHeader: 3,
  SnapshotFooter: 4,
  KRaftVersion: 5,
  KRaftVoters: 6,
} as const;

export function controlRecordKey(type: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(type, 2);
  return key;
}

/** The control type in a control record key, or -1 when the key is not one. */
export function readControlRecordType(key: Buffer | null): number {
  if (key === null || key.length < 4) return -1;
  return key.readInt16BE(2);
}

export interface EndTxnMarkerOptions {
  commit: boolean;
  coordinatorEpoch: number;
  producerId: bigint;
  producerEpoch: number;
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  timestamp?: bigint;
}

/** A COMMIT or ABORT marker batch, as Kafka's MemoryRecords.withEndTransactionMarker builds it. */
export function encodeEndTxnMarker(o: EndTxnMarkerOptions): Buffer {
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(o.coordinatorEpoch, 2);
  return encodeBatch({
    baseOffset: o.baseOffset,
    partitionLeaderEpoch: o.partitionLeaderEpoch,
    producerId: o.producerId,
    producerEpoch: o.producerEpoch,
    transactional: true,
    control: true,
    records: [
      {
        key: controlRecordKey(o.commit ? ControlRecordType.Commit : ControlRecordType.Abort),
        value,
        timestamp: o.timestamp,
      },
    ],
  });
}
