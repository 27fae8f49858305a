/**
 * Transactions across a broker restart on the same log directory: the coordinator replays
 * __transaction_state, so an open transaction is still open (its first offset still holds the last
 * stable offset back), still belongs to its producer's epoch, can be committed after the restart, and
 * still times out; a finished one keeps its epoch, so the next InitProducerId continues from it and
 * the old epoch stays fenced. Offsets sent with TxnOffsetCommit before the restart should become the
 * group's committed offsets when the transaction commits after it (a known bug: they are lost).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type BrokerHandle } from '../../broker/index';
import type { AddOffsetsToTxnResponse } from '../../broker/protocol/generated/add-offsets-to-txn';
import { ErrorCode } from '../../broker/protocol/generated/errors';
import type { OffsetFetchResponse } from '../../broker/protocol/generated/offset-fetch';
import type { TxnOffsetCommitResponse } from '../../broker/protocol/generated/txn-offset-commit';
import { RawClient } from './raw-client';
import {
  ADD_OFFSETS_TO_TXN,
  READ_COMMITTED,
  TXN_OFFSET_COMMIT,
  addPartitions,
  committedRecords,
  createTopic,
  endOffset,
  endTxn,
  fetchAll,
  newProducer,
  produce,
  producerBatch,
  waitFor,
  type Producer,
} from './txn-wire';

const TOPIC = 'txn-restart';
const GROUP = 'txn-restart-group';
const OFFSET_FETCH = 9;

let logDir: string;
let broker: BrokerHandle | undefined;
let raw: RawClient;

async function start(): Promise<void> {
  broker = await startBroker({
    overrides: {
      listeners: 'PLAINTEXT://127.0.0.1:0',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:0',
      'log.dirs': logDir,
      'node.id': 1,
      'offsets.topic.num.partitions': 4,
      'transaction.state.log.num.partitions': 4,
    },
  });
  raw = await RawClient.connect(broker.port);
}

async function restart(): Promise<void> {
  raw.destroy();
  await broker?.stop();
  broker = undefined;
  await start();
}

beforeAll(async () => {
  logDir = await mkdtemp(path.join(tmpdir(), 'kbroker-txn-restart-'));
  await start();
  await createTopic(raw, TOPIC, 3);
});
afterAll(async () => {
  raw?.destroy();
  await broker?.stop();
  await rm(logDir, { recursive: true, force: true });
});

const lso = (p: number) => endOffset(raw, TOPIC, p, READ_COMMITTED);
const hw = (p: number) => endOffset(raw, TOPIC, p);
const committedValues = async (p: number) =>
  committedRecords(await fetchAll(raw, TOPIC, p, READ_COMMITTED)).map((r) => r.value);

async function sendOffsets(id: string, p: Producer, partition: number, offset: bigint): Promise<void> {
  const added = await raw.request<AddOffsetsToTxnResponse>(ADD_OFFSETS_TO_TXN, 3, {
    transactionalId: id,
    producerId: p.producerId,
    producerEpoch: p.producerEpoch,
    groupId: GROUP,
  });
  expect(added.errorCode).toBe(0);
  const res = await raw.request<TxnOffsetCommitResponse>(TXN_OFFSET_COMMIT, 3, {
    transactionalId: id,
    groupId: GROUP,
    producerId: p.producerId,
    producerEpoch: p.producerEpoch,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [
      {
        name: TOPIC,
        partitions: [
          {
            partitionIndex: partition,
            committedOffset: offset,
            committedLeaderEpoch: -1,
            committedMetadata: '',
          },
        ],
      },
    ],
  });
  expect(res.topics[0].partitions[0].errorCode).toBe(0);
}

async function groupOffset(partition: number): Promise<bigint> {
  const res = await raw.request<OffsetFetchResponse>(OFFSET_FETCH, 7, {
    groupId: GROUP,
    topics: [{ name: TOPIC, partitionIndexes: [partition] }],
    requireStable: false,
  });
  expect(res.errorCode).toBe(0);
  return res.topics![0].partitions[0].committedOffset;
}

describe('transactions across a broker restart', () => {
  it('an open transaction is still open after a restart and its producer can commit it', async () => {
    const id = 'rs-open';
    const p = await newProducer(raw, id);
    expect(await addPartitions(raw, id, p, [{ name: TOPIC, partitions: [0] }])).toEqual([0]);
    const r = await produce(raw, TOPIC, 0, producerBatch(p, 0, ['o0', 'o1'], { transactional: true }), id);
    expect([r.errorCode, r.baseOffset]).toEqual([0, 0n]);
    expect([await lso(0), await hw(0)]).toEqual([0n, 2n]);

    await restart();
    expect([await lso(0), await hw(0)]).toEqual([0n, 2n]);
    expect(await committedValues(0)).toEqual([]);
    // Same epoch, next sequence: the producer carries on where it was.
    const more = await produce(raw, TOPIC, 0, producerBatch(p, 2, ['o2'], { transactional: true }), id);
    expect([more.errorCode, more.baseOffset]).toEqual([0, 2n]);
    expect(await endTxn(raw, id, p, true)).toBe(0);
    expect([await lso(0), await hw(0)]).toEqual([4n, 4n]);
    expect(await committedValues(0)).toEqual(['o0', 'o1', 'o2']);
  });

  it('a finished transaction keeps its epoch: InitProducerId continues it and the old epoch stays fenced', async () => {
    const id = 'rs-epoch';
    const first = await newProducer(raw, id);
    const second = await newProducer(raw, id);
    expect(second.producerEpoch).toBe(first.producerEpoch + 1);
    await restart();
    expect(await endTxn(raw, id, first, true)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(await addPartitions(raw, id, second, [{ name: TOPIC, partitions: [1] }])).toEqual([0]);
    expect(await endTxn(raw, id, second, false)).toBe(0);
    const third = await newProducer(raw, id);
    expect([third.producerId, third.producerEpoch]).toEqual([first.producerId, second.producerEpoch + 1]);
  });

  it('a transaction left open over a restart still times out and is aborted', async () => {
    const id = 'rs-timeout';
    const p = await newProducer(raw, id, 1_500);
    expect(await addPartitions(raw, id, p, [{ name: TOPIC, partitions: [1] }])).toEqual([0]);
    const r = await produce(raw, TOPIC, 1, producerBatch(p, 0, ['t0'], { transactional: true }), id);
    expect(r.errorCode).toBe(0);
    await restart();
    expect(await lso(1)).toBe(r.baseOffset);
    await waitFor('the timed-out transaction to be aborted', async () =>
      (await lso(1)) === (await hw(1)) ? true : undefined,
    );
    expect(await committedValues(1)).toEqual([]);
    expect(await endTxn(raw, id, p, true)).toBe(ErrorCode.PRODUCER_FENCED);
  });

  // TxnOffsetCommit offsets are written to __consumer_offsets as a transactional batch and replayed up
  // to the producer's marker, as Kafka does, so a restart between sendOffsets and EndTxn keeps them.
  it('offsets sent in a transaction before a restart are committed with it after the restart', async () => {
    const id = 'rs-offsets';
    const p = await newProducer(raw, id);
    expect(await addPartitions(raw, id, p, [{ name: TOPIC, partitions: [2] }])).toEqual([0]);
    expect(
      (await produce(raw, TOPIC, 2, producerBatch(p, 0, ['x'], { transactional: true }), id)).errorCode,
    ).toBe(0);
    await sendOffsets(id, p, 0, 42n);
    expect(await groupOffset(0)).toBe(-1n);
    await restart();
    expect(await endTxn(raw, id, p, true)).toBe(0);
    expect(await committedValues(2)).toEqual(['x']);
    expect(await groupOffset(0)).toBe(42n);
  });
});
