/**
 * The group coordinator's error codes over the wire, with raw requests built by the generated codecs:
 * stale generations, unknown members, KIP-394 member ids, session timeout bounds, protocol mismatches,
 * oversized commit metadata, empty group ids, DeleteGroups and OffsetDelete refusals, KIP-345 static
 * member fencing and group.max.size. After every refusal the group it was aimed at is unharmed: still
 * Stable with the same member and generation, and its committed offsets unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateTopicsResponse } from '../../broker/protocol/generated/create-topics';
import type { DeleteGroupsResponse } from '../../broker/protocol/generated/delete-groups';
import type { LeaveGroupResponse } from '../../broker/protocol/generated/leave-group';
import type { OffsetDeleteResponse } from '../../broker/protocol/generated/offset-delete';
import type { OffsetFetchResponse } from '../../broker/protocol/generated/offset-fetch';
import { withBroker, type TestBroker } from '../helpers/broker';
import {
  API,
  assignmentBytes,
  commit,
  describeRaw,
  fetchCommitted,
  heartbeat,
  joinGroup,
  joinWithId,
  subscriptionBytes,
  syncGroup,
  type MemberRef,
} from '../helpers/consumers';
import { RawClient } from './raw-client';

const TOPIC = 't-err';
const OTHER = 't-other';
const GROUP = 'g-err';
const SESSION_MS = 60_000; // outlives the file: the base member never needs to heartbeat

let broker: TestBroker;
let raw: RawClient;
let base: MemberRef;
let baseAssignment: Buffer;
/** What OffsetFetch must show for the base group, updated by the cases that commit on purpose. */
const committed: Record<number, { offset: number; metadata: string | null }> = {};
const connections: RawClient[] = [];

async function connect(): Promise<RawClient> {
  const c = await RawClient.connect(broker.port);
  connections.push(c);
  return c;
}

beforeAll(async () => {
  broker = await withBroker({
    'group.initial.rebalance.delay.ms': 0,
    'group.max.size': 2,
    'group.max.session.timeout.ms': 100_000,
  });
  raw = await connect();
  const created = await raw.request<CreateTopicsResponse>(API.CREATE_TOPICS, 7, {
    topics: [
      { name: TOPIC, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] },
      { name: OTHER, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
    ],
    timeoutMs: 5_000,
    validateOnly: false,
  });
  expect(created.topics.map((t) => t.errorCode)).toEqual([0, 0]);

  // KIP-394: a v4+ join without a member id is MEMBER_ID_REQUIRED with the id to use...
  const member = await connect();
  const first = await joinGroup(member, 5, { groupId: GROUP, topics: [TOPIC], sessionTimeoutMs: SESSION_MS });
  expect(first).toMatchObject({ errorCode: 79, generationId: -1, members: [] });
  expect(first.memberId).toMatch(/^raw-test-/);
  // ...and joining again with it succeeds: the only member leads generation 1.
  const joined = await joinGroup(member, 5, {
    groupId: GROUP,
    memberId: first.memberId,
    topics: [TOPIC],
    sessionTimeoutMs: SESSION_MS,
  });
  expect(joined).toMatchObject({
    errorCode: 0,
    generationId: 1,
    protocolName: 'range',
    leader: first.memberId,
    memberId: first.memberId,
  });
  expect(joined.members).toEqual([
    { memberId: first.memberId, groupInstanceId: null, metadata: subscriptionBytes([TOPIC]) },
  ]);
  base = { groupId: GROUP, memberId: first.memberId, generationId: 1 };
  baseAssignment = assignmentBytes(TOPIC, [0, 1]);
  const synced = await syncGroup(member, base, [{ memberId: base.memberId, assignment: baseAssignment }]);
  expect(synced).toMatchObject({ errorCode: 0, assignment: baseAssignment });
  expect(
    await commit(member, base, TOPIC, [
      [0, 5, 'm0'],
      [1, 7, ''],
    ]),
  ).toEqual({ 0: 0, 1: 0 });
  committed[0] = { offset: 5, metadata: 'm0' };
  committed[1] = { offset: 7, metadata: '' };
});

afterAll(async () => {
  for (const c of connections) c.destroy();
  await broker?.cleanup();
});

/** The base group is as the setup left it: same member, generation, assignment and offsets. */
async function expectIntact(): Promise<void> {
  const g = await describeRaw(raw, GROUP);
  expect(g).toMatchObject({
    errorCode: 0,
    groupState: 'Stable',
    protocolType: 'consumer',
    protocolData: 'range',
  });
  expect(g.members.map((m) => [m.memberId, m.clientId, m.memberAssignment])).toEqual([
    [base.memberId, 'raw-test', baseAssignment],
  ]);
  expect(await heartbeat(raw, base)).toBe(0); // generation 1 still current
  const f = await fetchCommitted(raw, GROUP, TOPIC, [0, 1]);
  expect(f).toEqual({ errorCode: 0, offsets: committed });
}

describe('group coordinator error codes', () => {
  it('the setup left a Stable group', async () => {
    await expectIntact();
  });

  it('OffsetCommit from a stale or future generation is ILLEGAL_GENERATION, from a stranger UNKNOWN_MEMBER_ID', async () => {
    expect(await commit(raw, { ...base, generationId: 0 }, TOPIC, [[0, 99, 'x']])).toEqual({ 0: 22 });
    expect(await commit(raw, { ...base, generationId: 2 }, TOPIC, [[0, 99, 'x']])).toEqual({ 0: 22 });
    expect(await commit(raw, { ...base, memberId: 'stranger' }, TOPIC, [[0, 99, 'x']])).toEqual({ 0: 25 });
    // A "simple" commit (no member, generation -1) is only for groups without members.
    expect(await commit(raw, { ...base, memberId: '', generationId: -1 }, TOPIC, [[0, 99, 'x']])).toEqual({
      0: 25,
    });
    await expectIntact();
  });

  it('Heartbeat from an unknown member is UNKNOWN_MEMBER_ID, from an old generation ILLEGAL_GENERATION', async () => {
    expect(await heartbeat(raw, { ...base, memberId: 'stranger' })).toBe(25);
    expect(await heartbeat(raw, { groupId: 'g-nosuch', memberId: 'stranger', generationId: 1 })).toBe(25);
    expect(await heartbeat(raw, { ...base, generationId: 0 })).toBe(22);
    await expectIntact();
  });

  it('SyncGroup before JoinGroup is UNKNOWN_MEMBER_ID, in a known group or not', async () => {
    expect((await syncGroup(raw, { ...base, memberId: 'never-joined' })).errorCode).toBe(25);
    expect((await syncGroup(raw, { groupId: 'g-nosuch', memberId: '', generationId: 0 })).errorCode).toBe(25);
    expect((await describeRaw(raw, 'g-nosuch')).groupState).toBe('Dead');
    await expectIntact();
  });

  it('JoinGroup with a member id the group never handed out is UNKNOWN_MEMBER_ID; v3 needs no id', async () => {
    const c = await connect();
    expect(await joinGroup(c, 5, { groupId: GROUP, memberId: 'made-up', topics: [TOPIC] })).toMatchObject({
      errorCode: 25,
      memberId: 'made-up',
    });
    expect((await joinGroup(c, 5, { groupId: 'g-nosuch', memberId: 'made-up' })).errorCode).toBe(25);
    // Before KIP-394 (v3) a first join gets its id and a generation at once.
    const v3 = await joinGroup(c, 3, { groupId: 'g-v3', topics: [TOPIC] });
    expect(v3).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(v3.leader).toBe(v3.memberId);
    await expectIntact();
  });

  it('JoinGroup with a session timeout outside group.min/max.session.timeout.ms is INVALID_SESSION_TIMEOUT', async () => {
    const c = await connect();
    for (const sessionTimeoutMs of [5_999, 100_001]) {
      expect((await joinGroup(c, 5, { groupId: GROUP, topics: [TOPIC], sessionTimeoutMs })).errorCode).toBe(
        26,
      );
      expect((await joinGroup(c, 5, { groupId: 'g-bad-session', sessionTimeoutMs })).errorCode).toBe(26);
    }
    expect((await describeRaw(raw, 'g-bad-session')).groupState).toBe('Dead');
    await expectIntact();
  });

  it('JoinGroup with another protocol type or no common protocol is INCONSISTENT_GROUP_PROTOCOL', async () => {
    const c = await connect();
    const other = { name: 'range', metadata: subscriptionBytes([TOPIC]) };
    expect(
      (await joinGroup(c, 5, { groupId: GROUP, protocolType: 'connect', protocols: [other] })).errorCode,
    ).toBe(23);
    const sticky = [{ name: 'sticky-only', metadata: subscriptionBytes([TOPIC]) }];
    expect((await joinGroup(c, 5, { groupId: GROUP, protocols: sticky })).errorCode).toBe(23);
    // A new group needs a protocol type and at least one protocol.
    expect((await joinGroup(c, 5, { groupId: 'g-no-protocols', protocols: [] })).errorCode).toBe(23);
    expect((await joinGroup(c, 5, { groupId: 'g-no-type', protocolType: '' })).errorCode).toBe(23);
    await expectIntact();
  });

  it('commit metadata over 4096 bytes is OFFSET_METADATA_TOO_LARGE for that partition only', async () => {
    const res = await commit(raw, base, TOPIC, [
      [0, 50, 'x'.repeat(4097)],
      [1, 9, 'y'.repeat(4096)],
    ]);
    expect(res).toEqual({ 0: 12, 1: 0 });
    committed[1] = { offset: 9, metadata: 'y'.repeat(4096) };
    // Bytes, not characters: 2049 two-byte characters are 4098 bytes.
    expect(await commit(raw, base, TOPIC, [[0, 51, 'é'.repeat(2049)]])).toEqual({ 0: 12 });
    await expectIntact();
  });

  it('an empty group id is INVALID_GROUP_ID for every group API', async () => {
    const c = await connect();
    const none = { groupId: '', memberId: 'x', generationId: 1 };
    expect((await joinGroup(c, 5, { groupId: '' })).errorCode).toBe(24);
    expect((await syncGroup(c, none)).errorCode).toBe(24);
    expect(await heartbeat(c, none)).toBe(24);
    expect(await commit(c, none, TOPIC, [[0, 1, '']])).toEqual({ 0: 24 });
    expect((await fetchCommitted(c, '', TOPIC, [0])).errorCode).toBe(24);
    const left = await c.request<LeaveGroupResponse>(API.LEAVE_GROUP, 4, {
      groupId: '',
      members: [{ memberId: 'x', groupInstanceId: null }],
    });
    expect(left.errorCode).toBe(24);
    expect((await describeRaw(c, '')).errorCode).toBe(24);
    const deleted = await c.request<DeleteGroupsResponse>(API.DELETE_GROUPS, 2, { groupsNames: [''] });
    expect(deleted.results).toEqual([{ groupId: '', errorCode: 24 }]);
    await expectIntact();
  });

  it('DeleteGroups: NON_EMPTY_GROUP with members, GROUP_ID_NOT_FOUND when unknown, deletes offset-only groups', async () => {
    const simple = { groupId: 'g-simple', memberId: '', generationId: -1 };
    expect(await commit(raw, simple, TOPIC, [[0, 3, 's']])).toEqual({ 0: 0 });
    expect((await describeRaw(raw, 'g-simple')).groupState).toBe('Empty');
    const res = await raw.request<DeleteGroupsResponse>(API.DELETE_GROUPS, 2, {
      groupsNames: [GROUP, 'g-nosuch', 'g-simple'],
    });
    expect(res.results).toEqual([
      { groupId: GROUP, errorCode: 68 },
      { groupId: 'g-nosuch', errorCode: 69 },
      { groupId: 'g-simple', errorCode: 0 },
    ]);
    expect(await fetchCommitted(raw, 'g-simple', TOPIC, [0])).toEqual({
      errorCode: 0,
      offsets: { 0: { offset: -1, metadata: '' } },
    });
    expect((await describeRaw(raw, 'g-simple')).groupState).toBe('Dead');
    const again = await raw.request<DeleteGroupsResponse>(API.DELETE_GROUPS, 2, {
      groupsNames: ['g-simple'],
    });
    expect(again.results[0].errorCode).toBe(69);
    await expectIntact();
  });

  it('OffsetDelete of a subscribed topic is GROUP_SUBSCRIBED_TO_TOPIC; other topics delete', async () => {
    expect(await commit(raw, base, OTHER, [[0, 4, 'o']])).toEqual({ 0: 0 });
    const del = (topic: string, partitions: number[], groupId = GROUP) =>
      raw.request<OffsetDeleteResponse>(API.OFFSET_DELETE, 0, {
        groupId,
        topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex })) }],
      });
    const subscribed = await del(TOPIC, [0, 1]);
    expect(subscribed.errorCode).toBe(0);
    expect(subscribed.topics[0].partitions).toEqual([
      { partitionIndex: 0, errorCode: 86 },
      { partitionIndex: 1, errorCode: 86 },
    ]);
    const other = await del(OTHER, [0]);
    expect(other.topics[0].partitions).toEqual([{ partitionIndex: 0, errorCode: 0 }]);
    const fetched = await raw.request<OffsetFetchResponse>(API.OFFSET_FETCH, 7, {
      groupId: GROUP,
      topics: null,
      requireStable: false,
    });
    expect(fetched.topics?.map((t) => t.name)).toEqual([TOPIC]);
    expect((await del(OTHER, [0], 'g-nosuch')).errorCode).toBe(69);
    await expectIntact();
  });

  it('static membership: a second join with the same group.instance.id fences the old member id', async () => {
    const s1 = await connect();
    const opts = {
      groupId: 'g-static',
      groupInstanceId: 'inst-1',
      topics: [TOPIC],
      sessionTimeoutMs: SESSION_MS,
    };
    // A static member needs no MEMBER_ID_REQUIRED round trip (KIP-345).
    const j1 = await joinGroup(s1, 5, opts);
    expect(j1).toMatchObject({ errorCode: 0, generationId: 1 });
    const old: MemberRef = {
      groupId: 'g-static',
      memberId: j1.memberId,
      generationId: 1,
      groupInstanceId: 'inst-1',
    };
    const assignment = assignmentBytes(TOPIC, [0, 1]);
    expect((await syncGroup(s1, old, [{ memberId: old.memberId, assignment }])).errorCode).toBe(0);
    expect(await commit(s1, old, TOPIC, [[0, 11, 'static']])).toEqual({ 0: 0 });

    // The same instance restarts: a new member id, the same generation (no rebalance while Stable).
    const s2 = await connect();
    const j2 = await joinGroup(s2, 5, opts);
    expect(j2).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(j2.memberId).not.toBe(old.memberId);
    const current: MemberRef = { ...old, memberId: j2.memberId };

    expect(await heartbeat(s1, old)).toBe(82);
    expect(await commit(s1, old, TOPIC, [[0, 12, 'stale']])).toEqual({ 0: 82 });
    expect((await syncGroup(s1, old)).errorCode).toBe(82);
    expect((await joinGroup(s1, 5, { ...opts, memberId: old.memberId })).errorCode).toBe(82);

    expect(await heartbeat(s2, current)).toBe(0);
    expect(await syncGroup(s2, current)).toMatchObject({ errorCode: 0, assignment });
    const g = await describeRaw(raw, 'g-static');
    expect(g.groupState).toBe('Stable');
    expect(g.members.map((m) => [m.memberId, m.groupInstanceId])).toEqual([[current.memberId, 'inst-1']]);
    expect((await fetchCommitted(raw, 'g-static', TOPIC, [0])).offsets[0]).toEqual({
      offset: 11,
      metadata: 'static',
    });
    // An instance id no member holds is UNKNOWN_MEMBER_ID (rejoin), not FENCED_INSTANCE_ID (fatal):
    // e.g. after the instance was removed by id alone (KIP-345 admin removal) or its session expired.
    expect(await heartbeat(s2, { ...current, groupInstanceId: 'inst-unknown' })).toBe(25);
    const left = await raw.request<LeaveGroupResponse>(API.LEAVE_GROUP, 4, {
      groupId: 'g-static',
      members: [{ memberId: '', groupInstanceId: 'inst-1' }],
    });
    expect(left).toMatchObject({
      errorCode: 0,
      members: [{ memberId: '', groupInstanceId: 'inst-1', errorCode: 0 }],
    });
    expect(await heartbeat(s2, current)).toBe(25);
    expect((await syncGroup(s2, current)).errorCode).toBe(25);
    expect(await commit(s2, current, TOPIC, [[0, 13, 'gone']])).toEqual({ 0: 25 });
    expect((await describeRaw(raw, 'g-static')).groupState).toBe('Empty');
    await expectIntact();
  });

  it('group.max.size: a join beyond it is GROUP_MAX_SIZE_REACHED and the group keeps its members', async () => {
    const opts = { groupId: 'g-max', topics: [TOPIC] };
    const a = await connect();
    const ja = await joinWithId(a, opts);
    expect(ja).toMatchObject({ errorCode: 0, generationId: 1 });
    const refA: MemberRef = { groupId: 'g-max', memberId: ja.memberId, generationId: 1 };
    expect(
      (await syncGroup(a, refA, [{ memberId: refA.memberId, assignment: assignmentBytes(TOPIC, [0, 1]) }]))
        .errorCode,
    ).toBe(0);

    // B joins: A learns of the rebalance from its heartbeat and rejoins; generation 2 has both.
    const b = await connect();
    const jb = joinWithId(b, opts);
    await expect.poll(() => heartbeat(a, refA)).toBe(27);
    const [ja2, jb2] = await Promise.all([joinGroup(a, 5, { ...opts, memberId: refA.memberId }), jb]);
    expect([ja2.errorCode, jb2.errorCode, ja2.generationId, jb2.generationId]).toEqual([0, 0, 2, 2]);
    const refA2 = { ...refA, generationId: 2 };
    const refB: MemberRef = { groupId: 'g-max', memberId: jb2.memberId, generationId: 2 };
    const leader = ja2.leader === refA.memberId ? { c: a, ref: refA2 } : { c: b, ref: refB };
    const follower = leader.c === a ? { c: b, ref: refB } : { c: a, ref: refA2 };
    const assignments = [
      { memberId: refA.memberId, assignment: assignmentBytes(TOPIC, [0]) },
      { memberId: refB.memberId, assignment: assignmentBytes(TOPIC, [1]) },
    ];
    const [sl, sf] = await Promise.all([
      syncGroup(leader.c, leader.ref, assignments),
      syncGroup(follower.c, follower.ref),
    ]);
    expect([sl.errorCode, sf.errorCode]).toEqual([0, 0]);

    const c = await connect();
    expect(await joinGroup(c, 5, opts)).toMatchObject({ errorCode: 81, memberId: '' });
    expect((await joinGroup(c, 3, opts)).errorCode).toBe(81);
    const g = await describeRaw(raw, 'g-max');
    expect(g.groupState).toBe('Stable');
    expect(g.members.map((m) => m.memberId).sort()).toEqual([refA.memberId, refB.memberId].sort());
    expect(await heartbeat(a, refA2)).toBe(0);
    expect(await heartbeat(b, refB)).toBe(0);
    await expectIntact();
  });

  it('group.max.size also holds for member ids handed out by MEMBER_ID_REQUIRED while there was room', async () => {
    const opts = { groupId: 'g-max-pending', topics: [TOPIC] };
    const a = await connect();
    const ja = await joinWithId(a, opts);
    const refA: MemberRef = { groupId: opts.groupId, memberId: ja.memberId, generationId: 1 };
    expect(
      (await syncGroup(a, refA, [{ memberId: refA.memberId, assignment: assignmentBytes(TOPIC, [0, 1]) }]))
        .errorCode,
    ).toBe(0);

    // With one member of two allowed, B and C each get a member id...
    const b = await connect();
    const c = await connect();
    const idB = (await joinGroup(b, 5, opts)).memberId;
    const idC = (await joinGroup(c, 5, opts)).memberId;
    expect(idB && idC && idB !== idC).toBeTruthy();
    // ...A (the leader) rejoins, which starts a rebalance that waits for both handed-out ids, and B
    // joins: two members await the rebalance, so C no longer fits (Kafka counts the members awaiting
    // a join while PreparingRebalance).
    const ja2 = joinGroup(a, 5, { ...opts, memberId: refA.memberId });
    await expect
      .poll(async () => (await describeRaw(raw, opts.groupId)).groupState)
      .toBe('PreparingRebalance');
    const jb = joinGroup(b, 5, { ...opts, memberId: idB });
    await expect
      .poll(async () => (await describeRaw(raw, opts.groupId)).members.map((m) => m.memberId))
      .toContain(idB);
    expect(await joinGroup(c, 5, { ...opts, memberId: idC })).toMatchObject({ errorCode: 81, memberId: '' });
    // The rebalance then completes with A and B only, without waiting for C.
    const [ra, rb] = await Promise.all([ja2, jb]);
    expect([ra.errorCode, rb.errorCode, ra.generationId, rb.generationId]).toEqual([0, 0, 2, 2]);
    const leader = ra.leader === refA.memberId ? ra : rb;
    expect(leader.members.map((m) => m.memberId).sort()).toEqual([refA.memberId, idB].sort());
    await expectIntact();
  });
});
