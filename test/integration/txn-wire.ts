/**
 * Raw-wire helpers shared by the idempotence and transaction tests (idempotence-*.test.ts,
 * txn-*.test.ts): the producer-id and transaction requests, Produce of one batch, ListOffsets and a
 * Fetch that reads a partition to its end, plus the read_committed filtering a Kafka consumer applies
 * (drop aborted transactions' batches and control batches). Not a test file.
 */
import { expect } from 'vitest';
import type { AddPartitionsToTxnResponse } from '../../broker/protocol/generated/add-partitions-to-txn';
import type { CreateTopicsResponse } from '../../broker/protocol/generated/create-topics';
import type { EndTxnResponse } from '../../broker/protocol/generated/end-txn';
import { defaultFetchRequest, type FetchResponse } from '../../broker/protocol/generated/fetch';
import type { InitProducerIdResponse } from '../../broker/protocol/generated/init-producer-id';
import type { ListOffsetsResponse } from '../../broker/protocol/generated/list-offsets';
import type { PartitionProduceResponse, ProduceResponse } from '../../broker/protocol/generated/produce';
import {
  decodeBatches,
  encodeBatch,
  isControl,
  readControlRecordType,
  ControlRecordType,
  type BatchHeader,
  type DecodedRecord,
} from '../../broker/protocol/records';
import type { RawClient } from './raw-client';

export const PRODUCE = 0;
export const FETCH = 1;
export const LIST_OFFSETS = 2;
export const FIND_COORDINATOR = 10;
export const CREATE_TOPICS = 19;
export const INIT_PRODUCER_ID = 22;
export const ADD_PARTITIONS_TO_TXN = 24;
export const ADD_OFFSETS_TO_TXN = 25;
export const END_TXN = 26;
export const TXN_OFFSET_COMMIT = 28;

export const READ_UNCOMMITTED = 0;
export const READ_COMMITTED = 1;

export async function createTopic(raw: RawClient, name: string, numPartitions: number): Promise<void> {
  const res = await raw.request<CreateTopicsResponse>(CREATE_TOPICS, 7, {
    topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 5_000,
    validateOnly: false,
  });
  expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([[name, 0]]);
}

export function initProducerId(
  raw: RawClient,
  transactionalId: string | null,
  transactionTimeoutMs = 60_000,
  version = 4,
): Promise<InitProducerIdResponse> {
  return raw.request<InitProducerIdResponse>(INIT_PRODUCER_ID, version, {
    transactionalId,
    transactionTimeoutMs,
    producerId: -1n,
    producerEpoch: -1,
  });
}

export interface Producer {
  producerId: bigint;
  producerEpoch: number;
}

/** InitProducerId that must succeed. */
export async function newProducer(
  raw: RawClient,
  transactionalId: string | null,
  transactionTimeoutMs?: number,
): Promise<Producer> {
  const r = await initProducerId(raw, transactionalId, transactionTimeoutMs);
  expect(r.errorCode).toBe(0);
  return { producerId: r.producerId!, producerEpoch: r.producerEpoch };
}

/** A batch of `values` (keys k0, k1, ...) stamped with a producer id, epoch and first sequence. */
export function producerBatch(
  p: Producer,
  baseSequence: number,
  values: string[],
  opts: { transactional?: boolean; timestamp?: bigint } = {},
): Buffer {
  const timestamp = opts.timestamp ?? 1_700_000_000_000n;
  return encodeBatch({
    producerId: p.producerId,
    producerEpoch: p.producerEpoch,
    baseSequence,
    transactional: opts.transactional ?? false,
    records: values.map((v, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(v), timestamp })),
  });
}

/** Produce v9, acks=-1, of one batch to one partition. */
export async function produce(
  raw: RawClient,
  topic: string,
  partition: number,
  records: Buffer,
  transactionalId: string | null = null,
): Promise<PartitionProduceResponse> {
  const res = await raw.request<ProduceResponse>(PRODUCE, 9, {
    transactionalId,
    acks: -1,
    timeoutMs: 5_000,
    // The broker patches offsets into the bytes it receives; send a copy so a batch can be resent as is.
    topicData: [{ name: topic, partitionData: [{ index: partition, records: Buffer.from(records) }] }],
  });
  return res.responses[0].partitionResponses[0];
}

export async function listOffset(
  raw: RawClient,
  topic: string,
  partition: number,
  timestamp: bigint,
  isolationLevel = READ_UNCOMMITTED,
): Promise<bigint> {
  const res = await raw.request<ListOffsetsResponse>(LIST_OFFSETS, 7, {
    replicaId: -1,
    isolationLevel,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp }] }],
  });
  const p = res.topics[0].partitions[0];
  expect(p.errorCode).toBe(0);
  return p.offset ?? -1n;
}

/** The high watermark (read_uncommitted) or last stable offset (read_committed) of a partition. */
export const endOffset = (raw: RawClient, topic: string, partition: number, isolation = READ_UNCOMMITTED) =>
  listOffset(raw, topic, partition, -1n, isolation);

export interface FetchedBatch {
  header: BatchHeader;
  records: DecodedRecord[];
}

export interface PartitionRead {
  batches: FetchedBatch[];
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[];
  highWatermark: bigint;
  lastStableOffset: bigint;
}

/** Fetch v12 from the log start offset to the end the isolation level allows, every batch decoded. */
export async function fetchAll(
  raw: RawClient,
  topic: string,
  partition: number,
  isolationLevel = READ_UNCOMMITTED,
): Promise<PartitionRead> {
  const out: PartitionRead = {
    batches: [],
    abortedTransactions: [],
    highWatermark: -1n,
    lastStableOffset: -1n,
  };
  const seenAborted = new Set<string>();
  let offset = await listOffset(raw, topic, partition, -2n);
  for (let round = 0; ; round++) {
    if (round > 10_000) throw new Error(`fetch of ${topic}-${partition} does not advance past ${offset}`);
    const req = defaultFetchRequest();
    req.isolationLevel = isolationLevel;
    req.maxBytes = 8 << 20;
    req.topics = [
      {
        topic,
        partitions: [
          {
            partition,
            currentLeaderEpoch: -1,
            fetchOffset: offset,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: 4 << 20,
          },
        ],
      },
    ];
    const res = await raw.request<FetchResponse>(FETCH, 12, req);
    const pd = res.responses[0].partitions[0];
    expect(pd.errorCode, `fetch ${topic}-${partition} at ${offset}`).toBe(0);
    out.highWatermark = pd.highWatermark;
    out.lastStableOffset = pd.lastStableOffset ?? -1n;
    for (const a of pd.abortedTransactions ?? []) {
      const key = `${a.producerId}@${a.firstOffset}`;
      if (!seenAborted.has(key)) out.abortedTransactions.push(a);
      seenAborted.add(key);
    }
    const upper = isolationLevel === READ_COMMITTED ? out.lastStableOffset : pd.highWatermark;
    if (offset >= upper) break;
    const decoded = decodeBatches(Buffer.from(pd.records ?? Buffer.alloc(0)));
    expect(decoded.length, `fetch ${topic}-${partition} at ${offset} returned no batch`).toBeGreaterThan(0);
    for (const b of decoded) {
      out.batches.push(b);
      offset = b.header.baseOffset + BigInt(b.header.lastOffsetDelta) + 1n;
    }
  }
  return out;
}

export interface VisibleRecord {
  offset: bigint;
  key: string | null;
  value: string | null;
}

const text = (b: Buffer | null) => (b === null ? null : Buffer.from(b).toString('utf8'));

/** Data records of every non-control batch, as read_uncommitted shows them. */
export function allRecords(read: PartitionRead): VisibleRecord[] {
  return read.batches
    .filter((b) => !isControl(b.header.attributes))
    .flatMap((b) => b.records.map((r) => ({ offset: r.offset, key: text(r.key), value: text(r.value) })));
}

/**
 * What a read_committed consumer shows (Kafka's Fetcher): a transactional batch of a producer with an
 * aborted transaction starting at or before it is skipped, until that producer's abort marker.
 */
export function committedRecords(read: PartitionRead): VisibleRecord[] {
  const pending = [...read.abortedTransactions].sort((a, b) => Number(a.firstOffset - b.firstOffset));
  const aborting = new Set<bigint>();
  const out: VisibleRecord[] = [];
  for (const b of read.batches) {
    const h = b.header;
    while (pending.length > 0 && pending[0].firstOffset <= h.baseOffset + BigInt(h.lastOffsetDelta))
      aborting.add(pending.shift()!.producerId);
    if (isControl(h.attributes)) {
      const type = readControlRecordType(b.records[0]?.key ?? null);
      if (type === ControlRecordType.Abort) aborting.delete(h.producerId);
      continue;
    }
    if ((h.attributes & 0x10) !== 0 && aborting.has(h.producerId)) continue;
    for (const r of b.records) out.push({ offset: r.offset, key: text(r.key), value: text(r.value) });
  }
  return out;
}

/** The control batches of a partition: [offset, 'commit' | 'abort', producerId, epoch]. */
export function markers(read: PartitionRead): [bigint, string, bigint, number][] {
  return read.batches
    .filter((b) => isControl(b.header.attributes))
    .map((b) => [
      b.header.baseOffset,
      readControlRecordType(b.records[0]?.key ?? null) === ControlRecordType.Commit ? 'commit' : 'abort',
      b.header.producerId,
      b.header.producerEpoch,
    ]);
}

export async function addPartitions(
  raw: RawClient,
  transactionalId: string,
  p: Producer,
  topics: { name: string; partitions: number[] }[],
  version = 3,
): Promise<number[]> {
  const res = await raw.request<AddPartitionsToTxnResponse>(ADD_PARTITIONS_TO_TXN, version, {
    v3AndBelowTransactionalId: transactionalId,
    v3AndBelowProducerId: p.producerId,
    v3AndBelowProducerEpoch: p.producerEpoch,
    v3AndBelowTopics: topics,
  });
  return (res.resultsByTopicV3AndBelow ?? []).flatMap((t) =>
    t.resultsByPartition.map((r) => r.partitionErrorCode),
  );
}

export async function endTxn(
  raw: RawClient,
  transactionalId: string,
  p: Producer,
  committed: boolean,
  version = 3,
): Promise<number> {
  const res = await raw.request<EndTxnResponse>(END_TXN, version, {
    transactionalId,
    producerId: p.producerId,
    producerEpoch: p.producerEpoch,
    committed,
  });
  return res.errorCode;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
