/**
 * Idempotent Produce on the raw wire (KIP-98; Kafka's ProducerStateManager and
 * ProducerAppendInfo.checkSequence): a batch resent with the same producer id, epoch and sequences is
 * answered NONE with the offsets it got the first time and is not appended again, for each of the
 * last five batches of a producer; a gap in the sequence is OUT_OF_ORDER_SEQUENCE_NUMBER, an older
 * epoch INVALID_PRODUCER_EPOCH; and all of it still holds after the broker restarts on the same log
 * directory, where the producer state is rebuilt from the batch headers. A producer the partition
 * holds no state for may start at any sequence, as Kafka allows (KIP-360).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type BrokerHandle } from '../../broker/index';
import { ErrorCode } from '../../broker/protocol/generated/errors';
import { RawClient } from './raw-client';
import {
  allRecords,
  createTopic,
  endOffset,
  fetchAll,
  newProducer,
  produce,
  producerBatch,
  type Producer,
} from './txn-wire';

const TOPIC = 'idem';

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
    },
  });
  raw = await RawClient.connect(broker.port);
}

async function stop(): Promise<void> {
  raw?.destroy();
  await broker?.stop();
  broker = undefined;
}

const values = async (partition: number) =>
  allRecords(await fetchAll(raw, TOPIC, partition)).map((r) => r.value);

/** Sends `batch` and expects it to be refused with `errorCode`, the log end offset unchanged. */
async function expectRefused(partition: number, batch: Buffer, errorCode: number): Promise<void> {
  const before = await endOffset(raw, TOPIC, partition);
  const r = await produce(raw, TOPIC, partition, batch);
  expect(r.errorCode).toBe(errorCode);
  expect(r.baseOffset).toBe(-1n);
  expect(await endOffset(raw, TOPIC, partition)).toBe(before);
}

let p: Producer;
let windowProducer: Producer;
/** Partition 1: one single-record batch per sequence number 0..6, with the offset each got. */
const windowOffsets: bigint[] = [];
const windowBatch = (seq: number) => producerBatch(windowProducer, seq, [`w${seq}`]);

beforeAll(async () => {
  logDir = await mkdtemp(path.join(tmpdir(), 'kbroker-idem-'));
  await start();
  await createTopic(raw, TOPIC, 2);
});
afterAll(async () => {
  await stop();
  await rm(logDir, { recursive: true, force: true });
});

describe('idempotent producer on the raw wire', () => {
  it('InitProducerId without a transactional id gives a fresh producer id at epoch 0', async () => {
    p = await newProducer(raw, null);
    windowProducer = await newProducer(raw, null);
    expect(p.producerId).toBeGreaterThanOrEqual(0n);
    expect(p.producerEpoch).toBe(0);
    expect(windowProducer.producerId).not.toBe(p.producerId);
    expect(windowProducer.producerEpoch).toBe(0);
  });

  it('a resent batch is answered NONE with its original base offset and is not appended again', async () => {
    const b0 = producerBatch(p, 0, ['a', 'b', 'c']);
    const first = await produce(raw, TOPIC, 0, b0);
    expect(first.errorCode).toBe(ErrorCode.NONE);
    expect(first.baseOffset).toBe(0n);
    expect(await endOffset(raw, TOPIC, 0)).toBe(3n);

    const again = await produce(raw, TOPIC, 0, b0);
    expect(again.errorCode).toBe(ErrorCode.NONE);
    expect(again.baseOffset).toBe(0n);
    expect(await endOffset(raw, TOPIC, 0)).toBe(3n);

    const b1 = producerBatch(p, 3, ['d', 'e']);
    expect((await produce(raw, TOPIC, 0, b1)).baseOffset).toBe(3n);
    // Both batches are in the producer's window: either retry gets its own offsets back.
    expect((await produce(raw, TOPIC, 0, b1)).baseOffset).toBe(3n);
    expect((await produce(raw, TOPIC, 0, b0)).baseOffset).toBe(0n);
    expect(await endOffset(raw, TOPIC, 0)).toBe(5n);
    expect(await values(0)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a gap in the sequence is OUT_OF_ORDER_SEQUENCE_NUMBER (45) and writes nothing', async () => {
    await expectRefused(0, producerBatch(p, 6, ['gap']), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    // A batch that overlaps the last one without matching it is no retry either.
    await expectRefused(0, producerBatch(p, 4, ['x', 'y']), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await values(0)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('the last five batches of a producer are deduplicated, older ones are out of order', async () => {
    for (let seq = 0; seq < 7; seq++) {
      const r = await produce(raw, TOPIC, 1, windowBatch(seq));
      expect(r.errorCode).toBe(ErrorCode.NONE);
      windowOffsets.push(r.baseOffset);
    }
    expect(windowOffsets).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n]);
    for (const seq of [2, 6, 4]) {
      const r = await produce(raw, TOPIC, 1, windowBatch(seq));
      expect([r.errorCode, r.baseOffset]).toEqual([ErrorCode.NONE, windowOffsets[seq]]);
    }
    await expectRefused(1, windowBatch(1), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await values(1)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6']);
  });

  it('a newer epoch restarts the sequence at 0; the old epoch is INVALID_PRODUCER_EPOCH (47)', async () => {
    const bumped = { ...p, producerEpoch: 1 };
    // A new epoch must start at sequence 0.
    await expectRefused(0, producerBatch(bumped, 5, ['nope']), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const r = await produce(raw, TOPIC, 0, producerBatch(bumped, 0, ['f']));
    expect([r.errorCode, r.baseOffset]).toEqual([ErrorCode.NONE, 5n]);
    // The old epoch's next batch and its retries are fenced.
    await expectRefused(0, producerBatch(p, 5, ['old']), ErrorCode.INVALID_PRODUCER_EPOCH);
    await expectRefused(0, producerBatch(p, 3, ['d', 'e']), ErrorCode.INVALID_PRODUCER_EPOCH);
    p = bumped;
    expect(await values(0)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('after a restart on the same log dir retries are still deduplicated and gaps refused', async () => {
    const before = [await endOffset(raw, TOPIC, 0), await endOffset(raw, TOPIC, 1)];
    await stop();
    await start();
    expect([await endOffset(raw, TOPIC, 0), await endOffset(raw, TOPIC, 1)]).toEqual(before);

    // The last batch of each producer, resent as a retry after the restart.
    const retry = await produce(raw, TOPIC, 0, producerBatch(p, 0, ['f']));
    expect([retry.errorCode, retry.baseOffset]).toEqual([ErrorCode.NONE, 5n]);
    for (const seq of [6, 2]) {
      const r = await produce(raw, TOPIC, 1, windowBatch(seq));
      expect([r.errorCode, r.baseOffset]).toEqual([ErrorCode.NONE, windowOffsets[seq]]);
    }
    expect([await endOffset(raw, TOPIC, 0), await endOffset(raw, TOPIC, 1)]).toEqual(before);

    await expectRefused(0, producerBatch(p, 3, ['gap']), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    await expectRefused(
      0,
      producerBatch({ ...p, producerEpoch: 0 }, 5, ['old']),
      ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    await expectRefused(1, windowBatch(1), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);

    // The next sequence numbers are accepted where the log ends.
    const next = await produce(raw, TOPIC, 0, producerBatch(p, 1, ['g', 'h']));
    expect([next.errorCode, next.baseOffset]).toEqual([ErrorCode.NONE, 6n]);
    const w7 = await produce(raw, TOPIC, 1, windowBatch(7));
    expect([w7.errorCode, w7.baseOffset]).toEqual([ErrorCode.NONE, 7n]);
    expect(await values(0)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(await values(1)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7']);

    // Producer ids handed out before the restart are not handed out again.
    const fresh = await newProducer(raw, null);
    expect([p.producerId, windowProducer.producerId]).not.toContain(fresh.producerId);
  });

  it('a producer the partition holds no state for may start at any sequence (KIP-360)', async () => {
    // Kafka's checkSequence (transaction version 1) takes a first batch at any sequence number: the
    // state of a producer can be gone legitimately (retention, DeleteRecords) while it goes on.
    const fresh = await newProducer(raw, null);
    const end = await endOffset(raw, TOPIC, 1);
    const first = await produce(raw, TOPIC, 1, producerBatch(fresh, 5, ['n5']));
    expect([first.errorCode, first.baseOffset]).toEqual([ErrorCode.NONE, end]);
    // From then on the usual checks apply.
    expect((await produce(raw, TOPIC, 1, producerBatch(fresh, 5, ['n5']))).baseOffset).toBe(end);
    await expectRefused(1, producerBatch(fresh, 7, ['n7']), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const next = await produce(raw, TOPIC, 1, producerBatch(fresh, 6, ['n6']));
    expect([next.errorCode, next.baseOffset]).toEqual([ErrorCode.NONE, end + 1n]);
    expect((await values(1)).slice(-2)).toEqual(['n5', 'n6']);
  });
});
