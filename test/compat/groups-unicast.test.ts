/**
 * Unicast through one consumer group: a kcat -G process (librdkafka's balanced consumer) and a kafkajs
 * consumer join the same group on a 6-partition topic, split the partitions between them, and consume
 * 10,000 records produced once the group is Stable: every record exactly once across the two, each
 * partition read by the member the leader assigned it to, and no rebalance while they consume.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import {
  committedOffsets,
  describeGroup,
  endOffsets,
  kafkaClient,
  librdkafkaRoundRobin,
  LineProcess,
  produceNumbered,
  tally,
  waitFor,
  waitStable,
  type Consumed,
} from '../helpers/consumers';

const TOPIC = 'unicast';
const PARTITIONS = 6;
const RECORDS = 10_000;
const GROUP = 'unicast-group';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

describe('one group, two clients (kcat -G and kafkajs)', () => {
  it('splits 6 partitions between the members and delivers each of 10,000 records exactly once', async () => {
    const broker: TestBroker = await withBroker({ 'group.initial.rebalance.delay.ms': 0 });
    cleanups.push(() => broker.cleanup());
    const kafka = kafkaClient(broker.bootstrap, 'unicast-js');
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });

    const fromKcat: Consumed[] = [];
    const kcat = new LineProcess(
      'kcat',
      [
        '-b',
        broker.bootstrap,
        '-G',
        GROUP,
        TOPIC,
        '-o',
        'beginning',
        '-f',
        '%p %o\\n',
        '-q',
        '-u',
        '-X',
        'client.id=unicast-kcat',
        '-X',
        'session.timeout.ms=10000',
        '-X',
        'auto.commit.interval.ms=500',
      ],
      (line) => {
        const [partition, offset] = line.split(' ').map(Number);
        fromKcat.push({ partition, offset });
      },
    );
    cleanups.push(() => kcat.stop());

    const fromJs: Consumed[] = [];
    const consumer = kafka.consumer({
      groupId: GROUP,
      partitionAssigners: [librdkafkaRoundRobin],
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
    });
    let joins = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => joins++);
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        fromJs.push({ partition, offset: Number(message.offset) });
      },
    });

    // Produce only once both are members, so no record is read before the final assignment.
    const before = await waitStable(admin, GROUP, TOPIC, 2, PARTITIONS).catch((err: Error) => {
      throw new Error(`${err.message}\nkcat: ${kcat.tail()}`);
    });
    await waitFor('kafkajs to see its assignment', () => joins > 0);
    const joinsBefore = joins;
    expect(before.protocol).toBe('roundrobin');
    expect(before.protocolType).toBe('consumer');
    const byClient = new Map(before.members.map((m) => [m.clientId, m]));
    expect([...byClient.keys()].sort()).toEqual(['unicast-js', 'unicast-kcat']);
    const kcatParts = byClient.get('unicast-kcat')!.partitions;
    const jsParts = byClient.get('unicast-js')!.partitions;
    expect(kcatParts.length).toBe(3);
    expect(jsParts.length).toBe(3);

    await produceNumbered(kafka, TOPIC, PARTITIONS, RECORDS);
    const ends = await endOffsets(admin, TOPIC);
    expect([...ends.values()].reduce((a, b) => a + b, 0)).toBe(RECORDS);

    await waitFor(
      `${RECORDS} records (kcat ${fromKcat.length}, kafkajs ${fromJs.length})`,
      () => fromKcat.length + fromJs.length >= RECORDS,
      25_000,
    );
    // Both commit what they consumed; once the commits reach the log end nothing more can come.
    await waitFor(
      'committed offsets at the log end',
      async () => {
        const c = await committedOffsets(admin, GROUP, TOPIC);
        return [...ends].every(([p, end]) => c.get(p) === end);
      },
      15_000,
      250,
    );

    const after = await describeGroup(admin, GROUP, TOPIC);
    expect(after.state).toBe('Stable');
    expect(after.members.map((m) => m.memberId).sort()).toEqual(before.members.map((m) => m.memberId).sort());
    expect(joins).toBe(joinsBefore);

    const counts = tally([...fromKcat, ...fromJs]);
    const duplicates = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
    expect(duplicates, 'records consumed twice').toEqual([]);
    for (const [p, end] of ends)
      for (let o = 0; o < end; o++)
        if (!counts.has(`${p}:${o}`)) expect.fail(`record ${p}:${o} never consumed`);
    expect(counts.size).toBe(RECORDS);

    // Each member read exactly the partitions the leader assigned it.
    expect([...new Set(fromKcat.map((r) => r.partition))].sort()).toEqual(kcatParts);
    expect([...new Set(fromJs.map((r) => r.partition))].sort()).toEqual(jsParts);
  });
});
