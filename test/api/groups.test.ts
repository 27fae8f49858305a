import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiEnv, type ApiEnv, type ErrorResponse } from './harness';

interface GroupList {
  groups: {
    groupId: string;
    state: string;
    protocolType: string;
    members: number;
    topics: string[];
    lag: number | null;
  }[];
}
interface GroupDetail {
  groupId: string;
  state: string;
  protocol: string;
  protocolType: string;
  members: {
    memberId: string;
    clientId: string;
    host: string;
    assignments: { topic: string; partitions: number[] }[];
  }[];
  offsets: {
    topic: string;
    partition: number;
    committed: string | null;
    logEnd: string | null;
    lag: number | null;
  }[];
}
interface Reset {
  offsets: { partition: number; previous: string | null; next: string }[];
}

const TOPIC = 'api-lag';
const GROUP = 'api-lag-group';

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Consumer groups over /api/v1: lag from a real kafkajs group, offset resets, deletion.
describe('REST API: consumer groups', () => {
  let env: ApiEnv;
  let consumer: Consumer | undefined;
  let stamp = 0;

  const produce = async (partition: number, n: number, prefix: string) => {
    const res = await env.api('POST', `/api/v1/topics/${TOPIC}/messages`, {
      partition,
      value: prefix,
      count: n,
    });
    expect(res.status).toBe(200);
  };
  const group = () => env.api<GroupDetail>('GET', `/api/v1/groups/${GROUP}`);
  const reset = (body: Record<string, unknown>) =>
    env.api<Reset>('POST', `/api/v1/groups/${GROUP}/reset-offsets`, body);

  beforeAll(async () => {
    env = await startApiEnv();
    expect((await env.api('POST', '/api/v1/topics', { name: TOPIC, partitions: 2 })).status).toBe(201);
    await produce(0, 6, 'early');
    await produce(1, 4, 'early');
    await new Promise((r) => setTimeout(r, 20));
    stamp = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    await produce(0, 4, 'late');
  }, 600_000);

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await env?.stop();
  }, 60_000);

  it('shows a running group with its member, assignment and zero lag once it caught up', async () => {
    consumer = env.kafka.consumer({ groupId: GROUP, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    let seen = 0;
    await consumer.run({
      eachMessage: async () => {
        seen++;
      },
    });
    await waitUntil('the consumer to read all 14 records', async () => seen >= 14);
    await waitUntil('committed offsets at the end', async () => {
      const res = await group();
      return (
        res.status === 200 && res.body.offsets.length === 2 && res.body.offsets.every((o) => o.lag === 0)
      );
    });

    const detail = await group();
    expect(detail.body).toMatchObject({ groupId: GROUP, state: 'Stable', protocolType: 'consumer' });
    expect(detail.body.members).toHaveLength(1);
    expect(detail.body.members[0]).toMatchObject({
      clientId: 'api-test',
      assignments: [{ topic: TOPIC, partitions: [0, 1] }],
    });
    expect(detail.body.offsets).toEqual([
      { topic: TOPIC, partition: 0, committed: '10', logEnd: '10', lag: 0 },
      { topic: TOPIC, partition: 1, committed: '4', logEnd: '4', lag: 0 },
    ]);

    const list = await env.api<GroupList>('GET', '/api/v1/groups');
    expect(list.status).toBe(200);
    expect(list.body.groups.find((g) => g.groupId === GROUP)).toEqual({
      groupId: GROUP,
      state: 'Stable',
      protocolType: 'consumer',
      members: 1,
      topics: [TOPIC],
      lag: 0,
    });
  });

  it('refuses to delete or reset a group with active members (409 NON_EMPTY_GROUP)', async () => {
    const del = await env.api<ErrorResponse>('DELETE', `/api/v1/groups/${GROUP}`);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('NON_EMPTY_GROUP');
    const res = await env.api<ErrorResponse>('POST', `/api/v1/groups/${GROUP}/reset-offsets`, {
      topic: TOPIC,
      to: 'earliest',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NON_EMPTY_GROUP');
  });

  it('reports lag once records arrive after the group stopped, on the group and on the topic', async () => {
    await consumer!.disconnect();
    consumer = undefined;
    await produce(1, 5, 'backlog');
    const detail = await group();
    expect(detail.body.state).toBe('Empty');
    expect(detail.body.members).toEqual([]);
    expect(detail.body.offsets.find((o) => o.partition === 1)).toEqual({
      topic: TOPIC,
      partition: 1,
      committed: '4',
      logEnd: '9',
      lag: 5,
    });
    const list = await env.api<GroupList>('GET', '/api/v1/groups');
    expect(list.body.groups.find((g) => g.groupId === GROUP)).toMatchObject({
      state: 'Empty',
      members: 0,
      lag: 5,
    });
    const topic = await env.api<{ groups: unknown[] }>('GET', `/api/v1/topics/${TOPIC}`);
    expect(topic.body.groups).toEqual([{ groupId: GROUP, state: 'Empty', lag: 5 }]);
  });

  it('previews a reset with dryRun without committing', async () => {
    const res = await reset({ topic: TOPIC, to: 'earliest', dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.offsets).toEqual([
      { partition: 0, previous: '10', next: '0' },
      { partition: 1, previous: '4', next: '0' },
    ]);
    expect((await group()).body.offsets.map((o) => o.committed)).toEqual(['10', '4']);
  });

  const resets: [string, Record<string, unknown>, [string, string]][] = [
    ['earliest', { to: 'earliest' }, ['0', '0']],
    ['latest', { to: 'latest' }, ['10', '9']],
    ['an exact offset, clamped to each partition', { to: 'offset', value: '7' }, ['7', '7']],
    ['an offset past the end, clamped', { to: 'offset', value: 1_000 }, ['10', '9']],
    ['a shift back by 3', { to: 'shift', value: -3 }, ['7', '6']],
    ['a shift forward past the end, clamped', { to: 'shift', value: '100' }, ['10', '9']],
    ['one partition only', { to: 'earliest', partitions: [1] }, ['10', '0']],
    ['a timestamp between the early and late records', { to: 'timestamp' }, ['6', '4']],
    [
      'a timestamp in the future (end of log)',
      { to: 'timestamp', value: Date.now() + 3_600_000 },
      ['10', '9'],
    ],
  ];

  it.each(resets)('resets offsets to %s and lag follows', async (_what, body, expected) => {
    const payload = { topic: TOPIC, ...body };
    if (body.to === 'timestamp' && body.value === undefined) Object.assign(payload, { value: stamp });
    const res = await reset(payload);
    expect(res.status).toBe(200);
    const touched = (body.partitions as number[] | undefined) ?? [0, 1];
    expect(res.body.offsets.map((o) => o.partition)).toEqual(touched);
    const detail = await group();
    expect(detail.body.offsets.map((o) => o.committed)).toEqual(expected);
    const ends = [10, 9];
    expect(detail.body.offsets.map((o) => o.lag)).toEqual(expected.map((c, i) => ends[i] - Number(c)));
  });

  const badResets: [string, Record<string, unknown>, number, string, string | undefined][] = [
    ['no value for to=offset', { topic: TOPIC, to: 'offset' }, 400, 'INVALID_ARGUMENT', 'value'],
    ['an unknown mode', { topic: TOPIC, to: 'middle' }, 400, 'INVALID_ARGUMENT', 'to'],
    ['a non-integer value', { topic: TOPIC, to: 'offset', value: '1.5' }, 400, 'INVALID_ARGUMENT', 'value'],
    ['an invalid topic name', { topic: 'a b', to: 'earliest' }, 400, 'INVALID_ARGUMENT', 'topic'],
    [
      'an unknown topic',
      { topic: 'api-nowhere', to: 'earliest' },
      404,
      'UNKNOWN_TOPIC_OR_PARTITION',
      undefined,
    ],
    [
      'an unknown partition',
      { topic: TOPIC, to: 'earliest', partitions: [5] },
      404,
      'UNKNOWN_TOPIC_OR_PARTITION',
      'partitions',
    ],
  ];

  it.each(badResets)('rejects a reset with %s', async (_what, body, status, code, field) => {
    const res = await env.api<ErrorResponse>('POST', `/api/v1/groups/${GROUP}/reset-offsets`, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.field).toBe(field);
  });

  it('refuses to shift a partition the group never committed', async () => {
    const res = await env.api<ErrorResponse>('POST', '/api/v1/groups/api-fresh-group/reset-offsets', {
      topic: TOPIC,
      to: 'shift',
      value: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'value' });
  });

  it('creates offsets for a group that does not exist yet', async () => {
    const res = await env.api<Reset>('POST', '/api/v1/groups/api-new-group/reset-offsets', {
      topic: TOPIC,
      to: 'latest',
    });
    expect(res.status).toBe(200);
    expect(res.body.offsets).toEqual([
      { partition: 0, previous: null, next: '10' },
      { partition: 1, previous: null, next: '9' },
    ]);
    const detail = await env.api<GroupDetail>('GET', '/api/v1/groups/api-new-group');
    expect(detail.body).toMatchObject({ state: 'Empty', members: [] });
    expect(detail.body.offsets.map((o) => o.lag)).toEqual([0, 0]);
  });

  it('deletes an empty group; then it is a 404', async () => {
    const res = await env.api('DELETE', `/api/v1/groups/${GROUP}`);
    expect(res.status).toBe(204);
    const get = await env.api<ErrorResponse>('GET', `/api/v1/groups/${GROUP}`);
    expect(get.status).toBe(404);
    expect(get.body.error.code).toBe('GROUP_ID_NOT_FOUND');
    const again = await env.api<ErrorResponse>('DELETE', `/api/v1/groups/${GROUP}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('GROUP_ID_NOT_FOUND');
    const list = await env.api<GroupList>('GET', '/api/v1/groups');
    expect(list.body.groups.map((g) => g.groupId)).not.toContain(GROUP);
  });

  it('accepts group ids with characters that need escaping in a path', async () => {
    const id = 'team a/orders#1';
    const res = await env.api<Reset>('POST', `/api/v1/groups/${encodeURIComponent(id)}/reset-offsets`, {
      topic: TOPIC,
      to: 'earliest',
    });
    expect(res.status).toBe(200);
    const detail = await env.api<GroupDetail>('GET', `/api/v1/groups/${encodeURIComponent(id)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.groupId).toBe(id);
    const { groups } = await env.admin.listGroups();
    expect(groups.map((g) => g.groupId)).toContain(id);
  });
});
