/**
 * Multicast through two consumer groups: a kafkajs consumer and a confluent-kafka-python consumer
 * process, each alone in its own group on the same 6-partition topic, each receive all 10,000 records
 * (once each), and each group's committed offsets reach the log end independently of the other's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { withBroker } from '../helpers/broker';
import {
  committedOffsets,
  endOffsets,
  GROUPS_PY,
  kafkaClient,
  LineProcess,
  produceNumbered,
  PYTHON,
  tally,
  waitFor,
  waitStable,
  type Consumed,
} from '../helpers/consumers';

const TOPIC = 'multicast';
const PARTITIONS = 6;
const RECORDS = 10_000;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

function expectEveryRecordOnce(records: Consumed[], ends: Map<number, number>, who: string) {
  const counts = tally(records);
  expect(
    [...counts].filter(([, n]) => n > 1).map(([k]) => k),
    `${who}: duplicates`,
  ).toEqual([]);
  for (const [p, end] of ends)
    for (let o = 0; o < end; o++)
      if (!counts.has(`${p}:${o}`)) expect.fail(`${who}: record ${p}:${o} missing`);
  expect(counts.size).toBe(RECORDS);
}

describe('two groups (kafkajs, confluent-kafka-python)', () => {
  it('each receive all 10,000 records', async () => {
    const broker = await withBroker({ 'group.initial.rebalance.delay.ms': 0 });
    cleanups.push(() => broker.cleanup());
    const kafka = kafkaClient(broker.bootstrap, 'multicast-js');
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });

    const fromPy: Consumed[] = [];
    const py = new LineProcess(
      PYTHON,
      [GROUPS_PY, 'consume', broker.bootstrap, 'multicast-py', TOPIC],
      (line) => {
        const [kind, p, o] = line.split(' ');
        if (kind === 'R') fromPy.push({ partition: Number(p), offset: Number(o) });
      },
    );
    cleanups.push(() => py.stop());

    const fromJs: Consumed[] = [];
    const consumer = kafka.consumer({ groupId: 'multicast-js', maxWaitTimeInMs: 200 });
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        fromJs.push({ partition, offset: Number(message.offset) });
      },
    });

    // Half before the groups form, half after: both starting points are covered.
    await produceNumbered(kafka, TOPIC, PARTITIONS, RECORDS / 2);
    for (const g of ['multicast-js', 'multicast-py'])
      await waitStable(admin, g, TOPIC, 1, PARTITIONS).catch((err: Error) => {
        throw new Error(`${err.message}\npython: ${py.tail()}`);
      });
    await produceNumbered(kafka, TOPIC, PARTITIONS, RECORDS / 2, RECORDS / 2);
    const ends = await endOffsets(admin, TOPIC);

    for (const [group, records] of [
      ['multicast-js', fromJs],
      ['multicast-py', fromPy],
    ] as const) {
      await waitFor(
        `${group}: ${RECORDS} records (has ${records.length})`,
        () => records.length >= RECORDS,
        25_000,
      );
      await waitFor(
        `${group}: committed offsets at the log end`,
        async () => {
          const c = await committedOffsets(admin, group, TOPIC);
          return [...ends].every(([p, end]) => c.get(p) === end);
        },
        15_000,
        250,
      );
    }
    expectEveryRecordOnce(fromJs, ends, 'kafkajs');
    expectEveryRecordOnce(fromPy, ends, 'python');

    const listed = await admin.listGroups();
    expect(listed.groups.map((g) => g.groupId).sort()).toEqual(['multicast-js', 'multicast-py']);
  });
});
