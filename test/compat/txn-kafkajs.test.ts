/**
 * kafkajs transactions against a real broker: a consume-transform-produce loop (consumer group
 * 'xform' with autoCommit off; per fetched batch one transaction of a transactional producer with
 * idempotence and maxInFlightRequests 1 sends the transformed records, sendOffsets the input
 * offsets and commits). The loop is killed once mid-transaction (records and offsets sent, producer
 * and consumer disconnected without EndTxn) and restarted, and on restart it also aborts one
 * transaction on purpose. In the end a read_committed consumer sees every input record transformed
 * exactly once and the group's committed offsets are the input's end offsets, while a
 * read_uncommitted consumer also sees the records of the killed and the aborted transaction.
 * ListOffsets with isolation read_committed answers the last stable offset, which stays at the first
 * offset of an open transaction until it ends.
 */
import { Kafka, logLevel, type Admin, type Consumer, type Producer, type RecordMetadata } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import { RawClient } from '../integration/raw-client';
import { READ_COMMITTED, committedRecords, endOffset, fetchAll, waitFor } from '../integration/txn-wire';

const IN = 'xform-in';
const OUT = 'xform-out';
const GROUP = 'xform';
const TXN_ID = 'xform-txn';
const PARTITIONS = 3;
const COUNT = 1_000;
/** Transactions committed before the first run is killed inside the next one. */
const CRASH_AFTER = 6;

let broker: TestBroker;
let kafka: Kafka;
let admin: Admin;
let raw: RawClient;
const inputs: string[] = [];

const transform = (value: string) => `out:${value}`;

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

beforeAll(async () => {
  broker = await withBroker({
    'group.initial.rebalance.delay.ms': 0,
    'offsets.topic.num.partitions': 4,
    'transaction.state.log.num.partitions': 4,
  });
  raw = await RawClient.connect(broker.port);
  kafka = new Kafka({
    clientId: 'compat-txn',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 50 },
  });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [IN, OUT, 'lso'].map((topic) => ({ topic, numPartitions: topic === 'lso' ? 1 : PARTITIONS })),
  });
  // Many small sends, so the input is many small batches and the loop runs many transactions.
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < COUNT; i += 20) {
    const messages = Array.from({ length: 20 }, (_, k) => ({ key: `k${i + k}`, value: `in-${i + k}` }));
    inputs.push(...messages.map((m) => m.value));
    await producer.send({ topic: IN, messages });
  }
  await producer.disconnect();
});
afterAll(async () => {
  raw?.destroy();
  await admin?.disconnect();
  await broker?.cleanup();
});

async function inputEnds(): Promise<Map<number, bigint>> {
  return new Map((await admin.fetchTopicOffsets(IN)).map((o) => [o.partition, BigInt(o.high)]));
}

async function groupOffsets(): Promise<Map<number, bigint>> {
  const [t] = await admin.fetchOffsets({ groupId: GROUP, topics: [IN] });
  return new Map(t.partitions.map((p) => [p.partition, BigInt(p.offset)]));
}

interface LoopRun {
  /** Next input offset per partition, as committed by this run's transactions. */
  committed: Map<number, bigint>;
  /** Set when the run was killed: the first offsets of the open transaction per output partition. */
  openTxn?: Map<number, bigint>;
  /** Values sent in the transaction this run aborted on purpose. */
  abortedValues: string[];
}

/**
 * One life of the loop. With `crashAfter` it is killed inside transaction number crashAfter+1 after
 * sending records and offsets; with `abortFirst` its first transaction sends a few records and aborts.
 */
async function runLoop(plan: { crashAfter?: number; abortFirst?: boolean }): Promise<LoopRun> {
  const run: LoopRun = { committed: new Map(), abortedValues: [] };
  const producer: Producer = kafka.producer({
    transactionalId: TXN_ID,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  // kafkajs sends InitProducerId for the transactional id with the first transaction: do it now, so
  // the state a previous life left behind is settled before consuming starts.
  await (await producer.transaction()).abort();
  run.committed = await groupOffsets();
  const consumer: Consumer = kafka.consumer({
    groupId: GROUP,
    maxBytesPerPartition: 2048,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: IN, fromBeginning: true });

  const ends = await inputEnds();
  const finished = deferred();
  const killed = deferred();
  const release = deferred();
  let transactions = 0;
  let dead = false;
  const failures: unknown[] = [];

  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      if (dead || batch.isEmpty()) return;
      try {
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        const offsets = {
          consumerGroupId: GROUP,
          topics: [{ topic: IN, partitions: [{ partition: batch.partition, offset: next }] }],
        };
        if (plan.abortFirst && transactions === 0 && run.abortedValues.length === 0) {
          const doomed = await producer.transaction();
          const values = batch.messages.slice(0, 5).map((m) => `aborted:${m.value!.toString()}`);
          await doomed.send({ topic: OUT, messages: values.map((value) => ({ value })) });
          await doomed.sendOffsets(offsets);
          await doomed.abort();
          run.abortedValues = values;
        }
        const txn = await producer.transaction();
        const sent: RecordMetadata[] = await txn.send({
          topic: OUT,
          messages: batch.messages.map((m) => ({
            key: m.key,
            value: transform(m.value!.toString()),
            headers: { src: `${batch.partition}@${m.offset}` },
          })),
        });
        await txn.sendOffsets(offsets);
        if (plan.crashAfter !== undefined && transactions === plan.crashAfter) {
          dead = true;
          run.openTxn = new Map(sent.map((r) => [r.partition, BigInt(r.baseOffset!)]));
          killed.resolve();
          await release.promise;
          return;
        }
        await txn.commit();
        transactions++;
        run.committed.set(batch.partition, BigInt(next));
        if ([...ends].every(([p, end]) => (run.committed.get(p) ?? -1n) >= end)) finished.resolve();
      } catch (err) {
        failures.push(err);
        finished.resolve();
        killed.resolve();
      }
    },
  });

  const deadline = setTimeout(() => {
    failures.push(new Error(`loop did not finish: ${transactions} transactions`));
    finished.resolve();
    killed.resolve();
  }, 20_000);
  await (plan.crashAfter !== undefined ? killed.promise : finished.promise);
  clearTimeout(deadline);
  // The kill: connections dropped with the transaction open, no EndTxn, no offset commit.
  if (dead) await producer.disconnect();
  const stopped = consumer.disconnect();
  release.resolve();
  await stopped;
  if (!dead) await producer.disconnect();
  expect(failures).toEqual([]);
  return run;
}

/** Every data record of OUT through a kafkajs consumer with the given isolation, read to the end. */
async function consumeOut(readUncommitted: boolean, groupId: string): Promise<string[]> {
  const ends = new Map((await admin.fetchTopicOffsets(OUT)).map((o) => [o.partition, BigInt(o.high)]));
  const consumer = kafka.consumer({ groupId, readUncommitted, maxWaitTimeInMs: 100 });
  const reached = new Map<number, bigint>();
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const next = BigInt(payload.lastOffset) + 1n;
    if (next > (reached.get(payload.partition) ?? 0n)) reached.set(payload.partition, next);
  });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: OUT, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
    await waitFor(
      `${groupId} to reach the end of ${OUT}`,
      async () => ([...ends].every(([p, end]) => (reached.get(p) ?? 0n) >= end) ? true : undefined),
      15_000,
    );
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('kafkajs consume-transform-produce with transactions', () => {
  it('killed mid-transaction and restarted, the output holds each input exactly once for read_committed', async () => {
    const first = await runLoop({ crashAfter: CRASH_AFTER });
    expect(first.openTxn?.size).toBeGreaterThan(0);

    // While the killed transaction is open the last stable offset stays at its first offset.
    for (let p = 0; p < PARTITIONS; p++) {
      const [lso, hw] = [await endOffset(raw, OUT, p, READ_COMMITTED), await endOffset(raw, OUT, p)];
      const open = first.openTxn!.get(p);
      if (open === undefined) expect(lso).toBe(hw);
      else expect([lso, lso < hw]).toEqual([open, true]);
    }
    // Only the committed transactions' offsets reached the group.
    const afterKill = await groupOffsets();
    for (const [p, off] of first.committed) expect(afterKill.get(p)).toBe(off);

    const second = await runLoop({ abortFirst: true });
    expect(second.abortedValues.length).toBeGreaterThan(0);
    // The restart's InitProducerId aborted the killed transaction and freed the last stable offset.
    for (let p = 0; p < PARTITIONS; p++)
      expect(await endOffset(raw, OUT, p, READ_COMMITTED)).toBe(await endOffset(raw, OUT, p));

    const committed = await consumeOut(false, 'verify-read-committed');
    expect(committed).toHaveLength(COUNT);
    expect([...committed].sort()).toEqual(inputs.map(transform).sort());

    const uncommitted = await consumeOut(true, 'verify-read-uncommitted');
    expect(uncommitted.length).toBeGreaterThan(COUNT);
    expect(uncommitted).toEqual(expect.arrayContaining(second.abortedValues));
    expect(new Set(uncommitted.filter((v) => v.startsWith('out:'))).size).toBe(COUNT);
    for (const v of second.abortedValues) expect(committed).not.toContain(v);

    // The broker's own read_committed view (Fetch with the aborted transactions) agrees.
    const viaFetch: string[] = [];
    for (let p = 0; p < PARTITIONS; p++)
      viaFetch.push(...committedRecords(await fetchAll(raw, OUT, p, READ_COMMITTED)).map((r) => r.value!));
    expect(viaFetch.sort()).toEqual([...committed].sort());

    // The group committed exactly the input's end offsets.
    expect(await groupOffsets()).toEqual(await inputEnds());
  });

  it('ListOffsets read_committed is the last stable offset: held at an open transaction until it commits', async () => {
    const plain = kafka.producer();
    const txnProducer = kafka.producer({
      transactionalId: 'lso-txn',
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await plain.connect();
    await txnProducer.connect();
    try {
      const value = (v: string) => ({ value: v });
      await plain.send({ topic: 'lso', messages: [value('a'), value('b')] });
      const txn = await txnProducer.transaction();
      const [meta] = await txn.send({ topic: 'lso', messages: [value('t1'), value('t2'), value('t3')] });
      expect(meta.baseOffset).toBe('2');
      await plain.send({ topic: 'lso', messages: [value('c')] });

      expect(await endOffset(raw, 'lso', 0)).toBe(6n);
      expect(await endOffset(raw, 'lso', 0, READ_COMMITTED)).toBe(2n);
      // kafkajs's admin lists offsets read_committed (its ListOffsets default): it sees the LSO too.
      expect((await admin.fetchTopicOffsets('lso'))[0].high).toBe('2');

      await txn.commit();
      // t1-t3 at 2-4, c at 5, the commit marker at 6.
      expect(await endOffset(raw, 'lso', 0)).toBe(7n);
      expect(await endOffset(raw, 'lso', 0, READ_COMMITTED)).toBe(7n);
      expect((await admin.fetchTopicOffsets('lso'))[0].high).toBe('7');
      expect(committedRecords(await fetchAll(raw, 'lso', 0, READ_COMMITTED)).map((r) => r.value)).toEqual([
        'a',
        'b',
        't1',
        't2',
        't3',
        'c',
      ]);
    } finally {
      await plain.disconnect();
      await txnProducer.disconnect();
    }
  });
});
