/**
 * Transaction coordinator errors on the raw wire, with the codes Kafka 4 answers for the client
 * versions of the APIs (TransactionCoordinator, transaction version 1): an unknown transactional id or
 * a producer id that is not its own is INVALID_PRODUCER_ID_MAPPING; an epoch older than the last
 * InitProducerId is PRODUCER_FENCED, or INVALID_PRODUCER_EPOCH for AddPartitionsToTxn, AddOffsetsToTxn
 * and EndTxn below v2, which predate PRODUCER_FENCED (KIP-588); EndTxn on a transaction with nothing
 * in it is INVALID_TXN_STATE; a timeout above transaction.max.timeout.ms is INVALID_TRANSACTION_TIMEOUT.
 * Then what the coordinator does on its own: a second InitProducerId aborts the open transaction with
 * a bumped epoch that fences the old producer on the data partitions too, and a transaction open past
 * its timeout is aborted, which hides its records from read_committed and lets the last stable offset
 * (held at the transaction's first offset until then) reach the high watermark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddOffsetsToTxnResponse } from '../../broker/protocol/generated/add-offsets-to-txn';
import { ErrorCode } from '../../broker/protocol/generated/errors';
import type { FindCoordinatorResponse } from '../../broker/protocol/generated/find-coordinator';
import { encodeBatch } from '../../broker/protocol/records';
import { withBroker, type TestBroker } from '../helpers/broker';
import { RawClient } from './raw-client';
import {
  ADD_OFFSETS_TO_TXN,
  FIND_COORDINATOR,
  READ_COMMITTED,
  addPartitions,
  allRecords,
  committedRecords,
  createTopic,
  endOffset,
  endTxn,
  fetchAll,
  initProducerId,
  markers,
  newProducer,
  produce,
  producerBatch,
  waitFor,
  type Producer,
} from './txn-wire';

const TOPIC = 'txn-data';
const MAX_TIMEOUT_MS = 60_000;

let broker: TestBroker;
let raw: RawClient;

beforeAll(async () => {
  broker = await withBroker({
    'transaction.max.timeout.ms': MAX_TIMEOUT_MS,
    'transaction.state.log.num.partitions': 4,
    'offsets.topic.num.partitions': 4,
  });
  raw = await RawClient.connect(broker.port);
  await createTopic(raw, TOPIC, 4);
});
afterAll(async () => {
  raw?.destroy();
  await broker?.cleanup();
});

const parts = (...partitions: number[]) => [{ name: TOPIC, partitions }];

async function addOffsets(id: string, p: Producer, version = 3): Promise<number> {
  const res = await raw.request<AddOffsetsToTxnResponse>(ADD_OFFSETS_TO_TXN, version, {
    transactionalId: id,
    producerId: p.producerId,
    producerEpoch: p.producerEpoch,
    groupId: 'txn-errors-group',
  });
  return res.errorCode;
}

/** Values of plain (non-idempotent) records, appended outside any transaction. */
async function producePlain(partition: number, values: string[]): Promise<bigint> {
  const r = await produce(
    raw,
    TOPIC,
    partition,
    encodeBatch({ records: values.map((v) => ({ value: Buffer.from(v) })) }),
  );
  expect(r.errorCode).toBe(ErrorCode.NONE);
  return r.baseOffset;
}

const lso = (partition: number) => endOffset(raw, TOPIC, partition, READ_COMMITTED);
const hw = (partition: number) => endOffset(raw, TOPIC, partition);

describe('transaction coordinator errors', () => {
  it('FindCoordinator for a transactional id names this broker', async () => {
    const res = await raw.request<FindCoordinatorResponse>(FIND_COORDINATOR, 3, {
      key: 'tx-find',
      keyType: 1,
    });
    expect([res.errorCode, res.nodeId, res.host, res.port]).toEqual([
      0,
      broker.nodeId,
      broker.host,
      broker.port,
    ]);
  });

  it('an unknown transactional id, or another producer id, is INVALID_PRODUCER_ID_MAPPING (49)', async () => {
    const stranger = { producerId: 4242n, producerEpoch: 0 };
    expect(await addPartitions(raw, 'tx-unknown', stranger, parts(0, 1))).toEqual([49, 49]);
    expect(await addPartitions(raw, 'tx-unknown', stranger, parts(0), 0)).toEqual([49]);
    expect(await addOffsets('tx-unknown', stranger)).toBe(49);
    expect(await endTxn(raw, 'tx-unknown', stranger, true)).toBe(49);

    const owner = await newProducer(raw, 'tx-mapping');
    const other = { producerId: owner.producerId + 1n, producerEpoch: owner.producerEpoch };
    expect(await addPartitions(raw, 'tx-mapping', other, parts(0))).toEqual([49]);
    expect(await endTxn(raw, 'tx-mapping', other, false)).toBe(49);
  });

  it('a timeout above transaction.max.timeout.ms (or not positive) is INVALID_TRANSACTION_TIMEOUT (50)', async () => {
    for (const version of [0, 1, 4]) {
      const r = await initProducerId(raw, 'tx-timeout-check', MAX_TIMEOUT_MS + 1, version);
      expect([r.errorCode, r.producerId, r.producerEpoch]).toEqual([50, -1n, -1]);
    }
    expect((await initProducerId(raw, 'tx-timeout-check', 0)).errorCode).toBe(50);
    expect((await initProducerId(raw, 'tx-timeout-check', MAX_TIMEOUT_MS)).errorCode).toBe(0);
  });

  it('EndTxn on an Empty transaction is INVALID_TXN_STATE (48); a retried EndTxn after completion is NONE', async () => {
    const id = 'tx-empty';
    const p = await newProducer(raw, id);
    expect(await endTxn(raw, id, p, true)).toBe(48);
    expect(await endTxn(raw, id, p, false)).toBe(48);
    expect(await endTxn(raw, id, p, true, 0)).toBe(48);

    expect(await addPartitions(raw, id, p, parts(3))).toEqual([0]);
    expect(
      (await produce(raw, TOPIC, 3, producerBatch(p, 0, ['e0'], { transactional: true }), id)).errorCode,
    ).toBe(0);
    expect(await endTxn(raw, id, p, true)).toBe(0);
    // CompleteCommit: a retry of the same decision succeeds, the other decision does not.
    expect(await endTxn(raw, id, p, true)).toBe(0);
    expect(await endTxn(raw, id, p, false)).toBe(48);
  });

  it('after a second InitProducerId the old epoch is PRODUCER_FENCED (90), INVALID_PRODUCER_EPOCH (47) below v2', async () => {
    const id = 'tx-fence';
    const old = await newProducer(raw, id);
    expect(old.producerEpoch).toBe(0);
    const current = await newProducer(raw, id);
    expect(current.producerId).toBe(old.producerId);
    expect(current.producerEpoch).toBeGreaterThan(old.producerEpoch);

    const byVersion = async (call: (version: number) => Promise<number | number[]>) => {
      const out: (number | number[])[] = [];
      for (const version of [0, 1, 2, 3]) out.push(await call(version));
      return out;
    };
    expect(await byVersion((v) => addPartitions(raw, id, old, parts(0), v))).toEqual([
      [47],
      [47],
      [90],
      [90],
    ]);
    expect(await byVersion((v) => addOffsets(id, old, v))).toEqual([47, 47, 90, 90]);
    expect(await byVersion((v) => endTxn(raw, id, old, true, v))).toEqual([47, 47, 90, 90]);

    // The current epoch is not affected.
    expect(await addPartitions(raw, id, current, parts(0), 1)).toEqual([0]);
    expect(await endTxn(raw, id, current, false, 1)).toBe(0);
  });

  it('InitProducerId aborts the open transaction with a bumped epoch that also fences the partition', async () => {
    const id = 'tx-zombie';
    const zombie = await newProducer(raw, id);
    expect(await addPartitions(raw, id, zombie, parts(0))).toEqual([0]);
    const first = await produce(
      raw,
      TOPIC,
      0,
      producerBatch(zombie, 0, ['z0', 'z1'], { transactional: true }),
      id,
    );
    expect(first.errorCode).toBe(0);
    expect(await lso(0)).toBe(first.baseOffset);

    const successor = await newProducer(raw, id);
    expect(successor.producerId).toBe(zombie.producerId);
    expect(await lso(0)).toBe(await hw(0));
    const read = await fetchAll(raw, TOPIC, 0, READ_COMMITTED);
    const [marker] = markers(read).filter(([, , pid]) => pid === zombie.producerId);
    expect(marker.slice(1, 3)).toEqual(['abort', zombie.producerId]);
    // Kafka fences with epoch+1 on the markers (PrepareEpochFence), so the zombie cannot write on.
    expect(marker[3]).toBeGreaterThan(zombie.producerEpoch);
    expect(successor.producerEpoch).toBeGreaterThan(marker[3]);
    expect(committedRecords(read).map((r) => r.value)).not.toContain('z0');

    const before = await hw(0);
    const late = await produce(raw, TOPIC, 0, producerBatch(zombie, 2, ['z2'], { transactional: true }), id);
    expect(late.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await hw(0)).toBe(before);
    expect(await lso(0)).toBe(before);
  });

  it("the last stable offset stays at an open transaction's first offset until its commit marker", async () => {
    const id = 'tx-commit';
    const p = await newProducer(raw, id);
    expect(await producePlain(1, ['plain0', 'plain1'])).toBe(0n);
    expect(await addPartitions(raw, id, p, parts(1))).toEqual([0]);
    const txn = await produce(
      raw,
      TOPIC,
      1,
      producerBatch(p, 0, ['t0', 't1', 't2'], { transactional: true }),
      id,
    );
    expect([txn.errorCode, txn.baseOffset]).toEqual([0, 2n]);
    expect(await producePlain(1, ['plain2', 'plain3'])).toBe(5n);

    expect(await hw(1)).toBe(7n);
    expect(await lso(1)).toBe(2n);
    const open = await fetchAll(raw, TOPIC, 1, READ_COMMITTED);
    expect(open.lastStableOffset).toBe(2n);
    expect(committedRecords(open).map((r) => r.value)).toEqual(['plain0', 'plain1']);

    expect(await endTxn(raw, id, p, true)).toBe(0);
    expect(await hw(1)).toBe(8n); // the commit marker takes offset 7
    expect(await lso(1)).toBe(8n);
    const done = await fetchAll(raw, TOPIC, 1, READ_COMMITTED);
    expect(done.abortedTransactions).toEqual([]);
    expect(committedRecords(done).map((r) => r.value)).toEqual([
      'plain0',
      'plain1',
      't0',
      't1',
      't2',
      'plain2',
      'plain3',
    ]);
    expect(markers(done)).toEqual([[7n, 'commit', p.producerId, p.producerEpoch]]);
  });

  it('a transaction open past its timeout is aborted: records hidden, LSO advances, the epoch is fenced', async () => {
    const id = 'tx-expire';
    const p = await newProducer(raw, id, 1_000);
    expect(await producePlain(2, ['before'])).toBe(0n);
    expect(await addPartitions(raw, id, p, parts(2))).toEqual([0]);
    const txn = await produce(raw, TOPIC, 2, producerBatch(p, 0, ['x0', 'x1'], { transactional: true }), id);
    expect([txn.errorCode, txn.baseOffset]).toEqual([0, 1n]);
    expect(await producePlain(2, ['after'])).toBe(3n);
    expect(await lso(2)).toBe(1n);

    // The coordinator's sweep aborts it; poll instead of sleeping for the timeout.
    const stable = await waitFor('the timed-out transaction to be aborted', async () => {
      const [l, h] = [await lso(2), await hw(2)];
      return l === h ? l : undefined;
    });
    expect(stable).toBe(5n); // before, x0, x1, after, abort marker

    const committed = await fetchAll(raw, TOPIC, 2, READ_COMMITTED);
    expect(committed.abortedTransactions).toEqual([{ producerId: p.producerId, firstOffset: 1n }]);
    expect(committedRecords(committed).map((r) => r.value)).toEqual(['before', 'after']);
    expect(allRecords(await fetchAll(raw, TOPIC, 2)).map((r) => r.value)).toEqual([
      'before',
      'x0',
      'x1',
      'after',
    ]);
    const [[offset, kind, pid, epoch]] = markers(committed);
    expect([offset, kind, pid]).toEqual([4n, 'abort', p.producerId]);
    expect(epoch).toBeGreaterThan(p.producerEpoch);

    // The producer that let it expire is fenced, at the coordinator and on the partition.
    expect(await endTxn(raw, id, p, true)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(await endTxn(raw, id, p, true, 1)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await addPartitions(raw, id, p, parts(2))).toEqual([ErrorCode.PRODUCER_FENCED]);
    const late = await produce(raw, TOPIC, 2, producerBatch(p, 2, ['x2'], { transactional: true }), id);
    expect(late.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await hw(2)).toBe(5n);

    // A new InitProducerId gets a newer epoch still, and its transactions work.
    const next = await newProducer(raw, id, 1_000);
    expect(next.producerId).toBe(p.producerId);
    expect(next.producerEpoch).toBeGreaterThan(epoch);
    expect(await addPartitions(raw, id, next, parts(2))).toEqual([0]);
    expect(
      (await produce(raw, TOPIC, 2, producerBatch(next, 0, ['y0'], { transactional: true }), id)).errorCode,
    ).toBe(0);
    expect(await endTxn(raw, id, next, true)).toBe(0);
    const final = await fetchAll(raw, TOPIC, 2, READ_COMMITTED);
    expect(committedRecords(final).map((r) => r.value)).toEqual(['before', 'after', 'y0']);
    expect(final.lastStableOffset).toBe(final.highWatermark);
  });
});
