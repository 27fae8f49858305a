/**
 * Group administration through clients: kafkajs admin listGroups / describeGroups / deleteGroups and
 * confluent-kafka-python AdminClient.list_groups (1.7.0: ListGroups + DescribeGroups; it has no
 * describe_consumer_groups), with raw ListGroups v4/v5 for the state and type filters kafkajs cannot
 * send. Four groups: a kafkajs consumer (Stable), a python consumer process (Stable), a kafkajs
 * consumer that left (Empty, protocol type consumer) and a "simple" group with offsets committed
 * without membership (Empty, no protocol type).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AssignerProtocol, type Admin, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListGroupsResponse } from '../../broker/protocol/generated/list-groups';
import { withBroker, type TestBroker } from '../helpers/broker';
import { API, commit, GROUPS_PY, kafkaClient, LineProcess, PYTHON, waitStable } from '../helpers/consumers';
import { RawClient } from '../integration/raw-client';

const run = promisify(execFile);
const TOPIC = 'admin-groups';
const ALL = ['adm-js', 'adm-left', 'adm-py', 'adm-simple'];

let broker: TestBroker;
let admin: Admin;
let consumer: Consumer;
let py: LineProcess;
let raw: RawClient;
const simple = (groupId: string) => ({ groupId, memberId: '', generationId: -1 });

beforeAll(async () => {
  broker = await withBroker({ 'group.initial.rebalance.delay.ms': 0 });
  const kafka = kafkaClient(broker.bootstrap, 'admin-js');
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
  raw = await RawClient.connect(broker.port);

  const left = kafka.consumer({ groupId: 'adm-left', maxWaitTimeInMs: 200 });
  await left.connect();
  await left.subscribe({ topic: TOPIC });
  await left.run({ eachMessage: async () => {} });
  await waitStable(admin, 'adm-left', TOPIC, 1, 2);
  await left.disconnect();

  consumer = kafka.consumer({ groupId: 'adm-js', maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC });
  await consumer.run({ eachMessage: async () => {} });
  py = new LineProcess(PYTHON, [GROUPS_PY, 'consume', broker.bootstrap, 'adm-py', TOPIC], () => {});
  await waitStable(admin, 'adm-js', TOPIC, 1, 2);
  await waitStable(admin, 'adm-py', TOPIC, 1, 2).catch((err: Error) => {
    throw new Error(`${err.message}\npython: ${py.tail()}`);
  });
  // A "simple" group: offsets committed with generation -1 and no member, as kcat -o or assign() users do.
  expect(await commit(raw, simple('adm-simple'), TOPIC, [[1, 0, '']])).toEqual({ 1: 0 });
});

afterAll(async () => {
  raw?.destroy();
  await py?.stop();
  await consumer?.disconnect();
  await admin?.disconnect();
  await broker?.cleanup();
});

async function listRaw(v: number, body: { statesFilter?: string[]; typesFilter?: string[] }) {
  const res = await raw.request<ListGroupsResponse>(API.LIST_GROUPS, v, body);
  expect(res.errorCode).toBe(0);
  return res.groups.map((g) => [g.groupId, g.groupState, g.protocolType]).sort();
}

describe('kafkajs admin', () => {
  it('listGroups lists every group with its protocol type', async () => {
    const { groups } = await admin.listGroups();
    expect(groups.map((g) => [g.groupId, g.protocolType]).sort()).toEqual([
      ['adm-js', 'consumer'],
      ['adm-left', 'consumer'],
      ['adm-py', 'consumer'],
      ['adm-simple', ''],
    ]);
  });

  it('describeGroups: states, protocols, members with decodable metadata and assignments', async () => {
    const { groups } = await admin.describeGroups([...ALL, 'adm-nosuch']);
    const byId = new Map(groups.map((g) => [g.groupId, g]));
    // kafkajs's typings omit errorCode, which it passes through from the response.
    const errorCode = (g: object) => (g as { errorCode?: number }).errorCode;
    expect(groups.map((g) => [g.groupId, errorCode(g), g.state])).toEqual([
      ['adm-js', 0, 'Stable'],
      ['adm-left', 0, 'Empty'],
      ['adm-py', 0, 'Stable'],
      ['adm-simple', 0, 'Empty'],
      ['adm-nosuch', 0, 'Dead'],
    ]);
    expect(byId.get('adm-js')).toMatchObject({ protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
    // librdkafka's partition.assignment.strategy default is "range,roundrobin": range is its first choice.
    expect(byId.get('adm-py')).toMatchObject({ protocolType: 'consumer', protocol: 'range' });
    expect(byId.get('adm-left')?.members).toEqual([]);
    for (const [id, clientId] of [
      ['adm-js', 'admin-js'],
      ['adm-py', 'py-adm-py'],
    ]) {
      const [m] = byId.get(id)!.members;
      expect(m).toMatchObject({ clientId, clientHost: '/127.0.0.1' });
      expect(AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics).toEqual([TOPIC]);
      expect(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment).toEqual({
        [TOPIC]: [0, 1],
      });
    }
  });

  it('deleteGroups deletes an empty group and refuses one with members (NON_EMPTY_GROUP)', async () => {
    expect(await commit(raw, simple('adm-doomed'), TOPIC, [[0, 0, '']])).toEqual({ 0: 0 });
    expect(await admin.deleteGroups(['adm-doomed'])).toEqual([
      expect.objectContaining({ groupId: 'adm-doomed', errorCode: 0 }),
    ]);
    await expect(admin.deleteGroups(['adm-js'])).rejects.toMatchObject({
      groups: [expect.objectContaining({ groupId: 'adm-js', errorCode: 68 })],
    });
    expect((await admin.listGroups()).groups.map((g) => g.groupId).sort()).toEqual(ALL);
  });
});

describe('raw ListGroups filters', () => {
  it('v4 filters by state, case-insensitively (KIP-518)', async () => {
    expect(await listRaw(4, { statesFilter: ['Stable'] })).toEqual([
      ['adm-js', 'Stable', 'consumer'],
      ['adm-py', 'Stable', 'consumer'],
    ]);
    expect(await listRaw(4, { statesFilter: ['empty'] })).toEqual([
      ['adm-left', 'Empty', 'consumer'],
      ['adm-simple', 'Empty', ''],
    ]);
    expect((await listRaw(4, { statesFilter: ['Stable', 'Empty'] })).map(([id]) => id)).toEqual(ALL);
    expect((await listRaw(4, { statesFilter: [] })).map(([id]) => id)).toEqual(ALL);
    expect(await listRaw(4, { statesFilter: ['PreparingRebalance'] })).toEqual([]);
  });

  it('v5 filters by group type: all of them are classic groups (KIP-848)', async () => {
    expect((await listRaw(5, { statesFilter: [], typesFilter: ['classic'] })).map(([id]) => id)).toEqual(ALL);
    expect(await listRaw(5, { statesFilter: [], typesFilter: ['consumer'] })).toEqual([]);
  });
});

interface PyGroup {
  id: string;
  error: number;
  state: string;
  protocol_type: string;
  protocol: string;
  members: {
    id: string;
    client_id: string;
    client_host: string;
    metadata_len: number;
    assignment_len: number;
  }[];
}

describe('confluent_kafka AdminClient.list_groups', () => {
  it('lists and describes every group', async () => {
    const { stdout } = await run(PYTHON, [GROUPS_PY, 'groups', broker.bootstrap], { timeout: 30_000 });
    const groups = JSON.parse(stdout) as PyGroup[];
    expect(groups.map((g) => [g.id, g.error, g.state, g.protocol_type, g.protocol])).toEqual([
      ['adm-js', 0, 'Stable', 'consumer', 'RoundRobinAssigner'],
      ['adm-left', 0, 'Empty', 'consumer', ''],
      ['adm-py', 0, 'Stable', 'consumer', 'range'],
      ['adm-simple', 0, 'Empty', '', ''],
    ]);
    const pyGroup = groups.find((g) => g.id === 'adm-py')!;
    expect(pyGroup.members).toEqual([
      expect.objectContaining({ client_id: 'py-adm-py', client_host: '/127.0.0.1' }),
    ]);
    expect(pyGroup.members[0].metadata_len).toBeGreaterThan(0);
    expect(pyGroup.members[0].assignment_len).toBeGreaterThan(0);
  });

  it('describes one group by id', async () => {
    const { stdout } = await run(PYTHON, [GROUPS_PY, 'groups', broker.bootstrap, 'adm-js'], {
      timeout: 30_000,
    });
    const groups = JSON.parse(stdout) as PyGroup[];
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: 'adm-js', state: 'Stable', protocol: 'RoundRobinAssigner' });
    expect(groups[0].members.map((m) => m.client_id)).toEqual(['admin-js']);
  });
});
