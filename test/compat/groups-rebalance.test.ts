/**
 * Rebalances with real clients, a confluent-kafka-python consumer process and a kafkajs consumer in
 * one group on a 6-partition topic:
 * - a member that dies (SIGKILL: no LeaveGroup, no last commit) is removed when its session times out,
 *   and its partitions move to the survivor, which resumes from the dead member's committed offsets:
 *   nothing is skipped, and exactly the records it consumed after its last commit are read again;
 * - commits a member makes when its partitions are revoked, while the group is rebalancing (the Java
 *   client and librdkafka's commit-on-revoke do this), are accepted, so the next owner of a partition
 *   starts where the previous one stopped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { withBroker } from '../helpers/broker';
import {
  committedOffsets,
  endOffsets,
  GROUPS_PY,
  kafkaClient,
  librdkafkaRoundRobin,
  LineProcess,
  produceNumbered,
  PYTHON,
  tally,
  waitFor,
  waitStable,
  type Consumed,
} from '../helpers/consumers';

const PARTITIONS = 6;
const SESSION_MS = 6_000; // group.min.session.timeout.ms, Kafka's default
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** A python consumer process and what it printed. */
function pythonConsumer(bootstrap: string, group: string, topic: string, ...options: string[]) {
  const records: Consumed[] = [];
  const commits = new Map<number, number>();
  const commitErrors: number[] = [];
  const assigned: number[][] = [];
  const proc = new LineProcess(
    PYTHON,
    [GROUPS_PY, 'consume', bootstrap, group, topic, ...options],
    (line) => {
      const [kind, a, b] = line.split(' ');
      if (kind === 'R') records.push({ partition: Number(a), offset: Number(b) });
      else if (kind === 'C') commits.set(Number(a), Number(b));
      else if (kind === 'CE') commitErrors.push(Number(a));
      else if (kind === 'A') assigned.push(a ? a.split(',').map(Number) : []);
    },
  );
  cleanups.push(() => proc.stop());
  return { proc, records, commits, commitErrors, assigned };
}

async function setup(topic: string) {
  const broker = await withBroker({ 'group.initial.rebalance.delay.ms': 0 });
  cleanups.push(() => broker.cleanup());
  const kafka = kafkaClient(broker.bootstrap, `js-${topic}`);
  const admin = kafka.admin();
  await admin.connect();
  cleanups.push(() => admin.disconnect());
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
  return { broker, kafka, admin };
}

function jsConsumer(kafka: ReturnType<typeof kafkaClient>, group: string) {
  const consumer = kafka.consumer({
    groupId: group,
    partitionAssigners: [librdkafkaRoundRobin],
    sessionTimeout: 10_000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
  });
  cleanups.push(() => consumer.disconnect());
  return consumer;
}

const lastOffsets = (records: Consumed[]) => {
  const m = new Map<number, number>();
  for (const r of records) m.set(r.partition, Math.max(m.get(r.partition) ?? -1, r.offset));
  return m;
};

describe('rebalance with a python consumer process and kafkajs', () => {
  it("moves a killed member's partitions to the survivor, which resumes from the committed offsets", async () => {
    const topic = 'rebalance-death';
    const group = 'death-group';
    const { broker, kafka, admin } = await setup(topic);
    const py = pythonConsumer(
      broker.bootstrap,
      group,
      topic,
      '--commit-limit',
      '300',
      '--session-ms',
      String(SESSION_MS),
    );
    const fromJs: Consumed[] = [];
    const consumer = jsConsumer(kafka, group);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        fromJs.push({ partition, offset: Number(message.offset) });
      },
    });
    const stable = await waitStable(admin, group, topic, 2, PARTITIONS).catch((err: Error) => {
      throw new Error(`${err.message}\npython: ${py.proc.tail()}`);
    });
    const pyParts = stable.members.find((m) => m.clientId === `py-${group}`)!.partitions;
    const jsParts = stable.members.find((m) => m.clientId !== `py-${group}`)!.partitions;
    expect(pyParts).toHaveLength(3);

    await produceNumbered(kafka, topic, PARTITIONS, 6_000);
    const ends = await endOffsets(admin, topic);
    const share = (parts: number[]) => parts.reduce((n, p) => n + ends.get(p)!, 0);
    await waitFor('python to read its partitions', () => py.records.length >= share(pyParts), 20_000);
    await waitFor('kafkajs to read its partitions', () => fromJs.length >= share(jsParts), 20_000);
    // The python member's commits are in the group before it dies.
    const pyCommitted = new Map(py.commits);
    expect([...pyCommitted.keys()].length).toBeGreaterThan(0);
    await waitFor('commits of both members', async () => {
      const c = await committedOffsets(admin, group, topic);
      return (
        [...pyCommitted].every(([p, o]) => c.get(p) === o) && jsParts.every((p) => c.get(p) === ends.get(p))
      );
    });
    expect(py.commitErrors).toEqual([]);

    const killedAt = Date.now();
    py.proc.kill();
    // Within the session timeout (plus the sweep and the survivor's rejoin) the survivor owns everything.
    await waitStable(admin, group, topic, 1, PARTITIONS, SESSION_MS + 8_000);
    const movedAfterMs = Date.now() - killedAt;
    expect(movedAfterMs).toBeGreaterThanOrEqual(SESSION_MS - 1_000);

    await produceNumbered(kafka, topic, PARTITIONS, 600, 6_000);
    const finalEnds = await endOffsets(admin, topic);
    await waitFor(
      'kafkajs to commit everything',
      async () => {
        const c = await committedOffsets(admin, group, topic);
        return [...finalEnds].every(([p, end]) => c.get(p) === end);
      },
      20_000,
      250,
    );

    const counts = tally([...py.records, ...fromJs]);
    for (const [p, end] of finalEnds)
      for (let o = 0; o < end; o++) if (!counts.has(`${p}:${o}`)) expect.fail(`record ${p}:${o} skipped`);
    // Read twice: exactly the dead member's records after its last commit, each once more.
    const pyLast = lastOffsets(py.records);
    const expectedTwice: string[] = [];
    for (const p of pyParts)
      for (let o = pyCommitted.get(p) ?? 0; o <= (pyLast.get(p) ?? -1); o++) expectedTwice.push(`${p}:${o}`);
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(twice.every(([, n]) => n === 2)).toBe(true);
    expect(twice.map(([k]) => k).sort()).toEqual(expectedTwice.sort());
    expect(expectedTwice.length).toBeGreaterThan(0);
    // The survivor started each taken-over partition exactly at the committed offset.
    for (const p of pyParts) {
      const first = Math.min(...fromJs.filter((r) => r.partition === p).map((r) => r.offset));
      expect(first, `partition ${p}`).toBe(pyCommitted.get(p) ?? 0);
    }
  });

  it('keeps commits made on revocation while the group rebalances; the next owner starts there', async () => {
    const topic = 'rebalance-revoke';
    const group = 'revoke-group';
    const { broker, kafka, admin } = await setup(topic);
    const py = pythonConsumer(broker.bootstrap, group, topic, '--commit-limit', '0', '--commit-on-revoke');
    await waitStable(admin, group, topic, 1, PARTITIONS).catch((err: Error) => {
      throw new Error(`${err.message}\npython: ${py.proc.tail()}`);
    });
    await produceNumbered(kafka, topic, PARTITIONS, 1_200);
    await waitFor('python to read everything', () => py.records.length >= 1_200, 20_000);
    expect(py.commits.size).toBe(0);

    // A second member joins: python revokes (and commits) while the group is PreparingRebalance.
    const fromJs: Consumed[] = [];
    const consumer = jsConsumer(kafka, group);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        fromJs.push({ partition, offset: Number(message.offset) });
      },
    });
    await waitStable(admin, group, topic, 2, PARTITIONS, 20_000);
    await waitFor('python to commit on revoke', () => py.commits.size > 0 || py.commitErrors.length > 0);
    expect(py.commitErrors, 'commit on revoke refused (27 = REBALANCE_IN_PROGRESS)').toEqual([]);
    const ends = await endOffsets(admin, topic);
    expect(Object.fromEntries(py.commits)).toEqual(Object.fromEntries(ends));
    expect(Object.fromEntries(await committedOffsets(admin, group, topic))).toEqual(Object.fromEntries(ends));

    // Each owns half the partitions now; kafkajs starts its half at python's revoke commits.
    const stable = await waitStable(admin, group, topic, 2, PARTITIONS);
    const jsParts = stable.members.find((m) => m.clientId !== `py-${group}`)!.partitions;
    await produceNumbered(kafka, topic, PARTITIONS, 600, 1_200);
    const finalEnds = await endOffsets(admin, topic);
    await waitFor('every record read', () => tally([...py.records, ...fromJs]).size >= 1_800, 20_000);
    await waitFor('kafkajs to commit its partitions', async () => {
      const c = await committedOffsets(admin, group, topic);
      return jsParts.every((p) => c.get(p) === finalEnds.get(p));
    });
    const counts = tally([...py.records, ...fromJs]);
    expect([...counts].filter(([, n]) => n > 1).map(([k]) => k)).toEqual([]);
    expect(counts.size).toBe(1_800);
    expect([...new Set(fromJs.map((r) => r.partition))].sort()).toEqual(jsParts);
    for (const p of jsParts)
      expect(Math.min(...fromJs.filter((r) => r.partition === p).map((r) => r.offset))).toBe(ends.get(p));
  });
});
