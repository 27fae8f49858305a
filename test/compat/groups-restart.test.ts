/**
 * Committed offsets, lag and group state survive a broker restart on the same log dir (the coordinator
 * replays __consumer_offsets): three groups on a 3-partition topic, committed three ways (a kafkajs
 * consumer that then leaves, a confluent-kafka-python consumer process that is killed, and kafkajs
 * admin.setOffsets on a memberless group), then more records produced, the broker stopped and started
 * again. After the restart kafkajs admin.fetchOffsets and python Consumer.committed() report the same
 * offsets, lag = log end - committed is what was produced after the commits, the left group is Empty,
 * and the killed member's group comes back Stable and turns Empty when that member's session expires.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, type BrokerHandle } from '../../broker/index';
import type { ListGroupsResponse } from '../../broker/protocol/generated/list-groups';
import {
  committedOffsets,
  describeGroup,
  endOffsets,
  GROUPS_PY,
  kafkaClient,
  LineProcess,
  PYTHON,
  waitFor,
} from '../helpers/consumers';
import { RawClient } from '../integration/raw-client';

const run = promisify(execFile);
const TOPIC = 'restart';
const SESSION_MS = 6_000;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function produce(kafka: Kafka, counts: number[]) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const messages = counts.flatMap((n, partition) =>
    Array.from({ length: n }, (_, i) => ({ partition, value: `${partition}-${i}` })),
  );
  await producer.send({ topic: TOPIC, messages, acks: -1 });
  await producer.disconnect();
}

const asObject = (m: Map<number, number>) => Object.fromEntries([...m].sort(([a], [b]) => a - b));

interface PyCommitted {
  committed: Record<string, number>;
  high: Record<string, number>;
}

async function pythonCommitted(bootstrap: string, group: string): Promise<PyCommitted> {
  const { stdout } = await run(PYTHON, [GROUPS_PY, 'committed', bootstrap, group, TOPIC, '3'], {
    timeout: 30_000,
  });
  return JSON.parse(stdout) as PyCommitted;
}

describe('consumer groups across a broker restart', () => {
  it('keep committed offsets, lag and membership; members that do not come back expire', async () => {
    const logDir = await mkdtemp(path.join(tmpdir(), 'kbroker-groups-'));
    cleanups.push(() => rm(logDir, { recursive: true, force: true }));
    const overrides = {
      listeners: 'PLAINTEXT://127.0.0.1:0',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:0',
      'log.dirs': logDir,
      'node.id': 1,
      'group.initial.rebalance.delay.ms': 0,
    };
    let handle: BrokerHandle = await startBroker({ overrides });
    cleanups.push(() => handle.stop());
    let bootstrap = `${handle.host}:${handle.port}`;
    let kafka = kafkaClient(bootstrap, 'restart-js');
    let admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] });
    await produce(kafka, [100, 60, 40]);
    const consumedEnds = { 0: 100, 1: 60, 2: 40 };

    // restart-js: a kafkajs consumer reads everything, commits, and leaves.
    const consumer = kafka.consumer({ groupId: 'restart-js', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void seen++ });
    await waitFor('restart-js to commit everything', async () => {
      const c = asObject(await committedOffsets(admin, 'restart-js', TOPIC));
      return seen === 200 && JSON.stringify(c) === JSON.stringify(consumedEnds);
    });
    await consumer.disconnect();
    expect((await describeGroup(admin, 'restart-js', TOPIC)).state).toBe('Empty');

    // restart-py: a python consumer reads everything, commits, and is killed (it stays a member).
    const py = new LineProcess(
      PYTHON,
      [GROUPS_PY, 'consume', bootstrap, 'restart-py', TOPIC, '--session-ms', String(SESSION_MS)],
      () => {},
    );
    cleanups.push(() => py.stop());
    await waitFor(
      'restart-py to commit everything',
      async () => {
        const c = asObject(await committedOffsets(admin, 'restart-py', TOPIC));
        return JSON.stringify(c) === JSON.stringify(consumedEnds);
      },
      20_000,
      200,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\npython: ${py.tail()}`);
    });
    py.kill();

    // restart-admin: offsets set by the admin client on a group that never had members.
    await admin.setOffsets({
      groupId: 'restart-admin',
      topic: TOPIC,
      partitions: [
        { partition: 0, offset: '10' },
        { partition: 1, offset: '0' },
        { partition: 2, offset: '40' },
      ],
    });

    await produce(kafka, [7, 0, 25]);
    const pyGroup = await describeGroup(admin, 'restart-py', TOPIC);
    expect(pyGroup.state).toBe('Stable');
    expect(pyGroup.members.map((m) => m.clientId)).toEqual(['py-restart-py']);
    await admin.disconnect();
    await handle.stop();

    handle = await startBroker({ overrides });
    bootstrap = `${handle.host}:${handle.port}`;
    kafka = kafkaClient(bootstrap, 'restart-js-2');
    admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());

    const ends = asObject(await endOffsets(admin, TOPIC));
    expect(ends).toEqual({ 0: 107, 1: 60, 2: 65 });
    const expected = {
      'restart-js': { committed: consumedEnds, lag: { 0: 7, 1: 0, 2: 25 } },
      'restart-py': { committed: consumedEnds, lag: { 0: 7, 1: 0, 2: 25 } },
      'restart-admin': { committed: { 0: 10, 1: 0, 2: 40 }, lag: { 0: 97, 1: 60, 2: 25 } },
    };
    for (const [group, want] of Object.entries(expected)) {
      const committed = asObject(await committedOffsets(admin, group, TOPIC));
      expect(committed, group).toEqual(want.committed);
      const lag = Object.fromEntries(Object.entries(ends).map(([p, end]) => [p, end - committed[Number(p)]]));
      expect(lag, group).toEqual(want.lag);
      const fromPython = await pythonCommitted(bootstrap, group);
      expect(fromPython.committed, `${group} via python`).toEqual(want.committed);
      expect(fromPython.high).toEqual(ends);
    }

    // The left group is Empty; the killed member came back with its group, until its session ends.
    expect(await describeGroup(admin, 'restart-js', TOPIC)).toMatchObject({ state: 'Empty', members: [] });
    expect(await describeGroup(admin, 'restart-admin', TOPIC)).toMatchObject({ state: 'Empty', members: [] });
    const restored = await describeGroup(admin, 'restart-py', TOPIC);
    expect(restored.state).toBe('Stable');
    expect(restored.members.map((m) => m.memberId)).toEqual(pyGroup.members.map((m) => m.memberId));
    expect(restored.members[0].partitions).toEqual([0, 1, 2]);
    const listed = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
    expect(listed).toEqual(['restart-admin', 'restart-js', 'restart-py']);

    await waitFor(
      'restart-py to become Empty after the session timeout',
      async () => (await describeGroup(admin, 'restart-py', TOPIC)).state === 'Empty',
      SESSION_MS + 5_000,
      200,
    );
    expect(asObject(await committedOffsets(admin, 'restart-py', TOPIC))).toEqual(consumedEnds);
    const raw = await RawClient.connect(handle.port);
    cleanups.push(async () => raw.destroy());
    const empty = await raw.request<ListGroupsResponse>(16, 4, { statesFilter: ['Empty'] });
    expect(empty.groups.map((g) => g.groupId).sort()).toEqual(['restart-admin', 'restart-js', 'restart-py']);
  });
});
