/**
 * The classic rebalance protocol over the wire (raw requests, generated codecs): the initial rebalance
 * delay gathering quick joiners into the first generation, which commits a rebalance accepts
 * (PreparingRebalance: yes; CompletingRebalance: REBALANCE_IN_PROGRESS), members that miss the
 * rebalance timeout dropped from the next generation, and a batch LeaveGroup emptying a group.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateTopicsResponse } from '../../broker/protocol/generated/create-topics';
import type { LeaveGroupResponse } from '../../broker/protocol/generated/leave-group';
import { withBroker, type TestBroker } from '../helpers/broker';
import {
  API,
  assignmentBytes,
  commit,
  describeRaw,
  heartbeat,
  joinGroup,
  joinWithId,
  syncGroup,
  type JoinOptions,
  type MemberRef,
} from '../helpers/consumers';
import { RawClient } from './raw-client';

const TOPIC = 't-members';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(overrides: Record<string, number> = {}) {
  const broker: TestBroker = await withBroker(overrides);
  cleanups.push(() => broker.cleanup());
  const connect = async () => {
    const c = await RawClient.connect(broker.port);
    cleanups.push(() => c.destroy());
    return c;
  };
  const raw = await connect();
  const created = await raw.request<CreateTopicsResponse>(API.CREATE_TOPICS, 7, {
    topics: [{ name: TOPIC, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 5_000,
    validateOnly: false,
  });
  expect(created.topics[0].errorCode).toBe(0);
  return { raw, connect };
}

/** Two members A and B Stable in generation `gen` of `groupId` (A alone first, then B joins). */
async function twoMembers(
  raw: RawClient,
  connect: () => Promise<RawClient>,
  o: JoinOptions,
): Promise<{ a: RawClient; b: RawClient; refA: MemberRef; refB: MemberRef }> {
  const a = await connect();
  const ja = await joinWithId(a, o);
  expect(ja).toMatchObject({ errorCode: 0, generationId: 1 });
  const refA1: MemberRef = { groupId: o.groupId, memberId: ja.memberId, generationId: 1 };
  await syncGroup(a, refA1, [{ memberId: ja.memberId, assignment: assignmentBytes(TOPIC, [0, 1]) }]);
  const b = await connect();
  const jb = joinWithId(b, o);
  await expect.poll(() => heartbeat(a, refA1)).toBe(27);
  const [ja2, jb2] = await Promise.all([joinGroup(a, 5, { ...o, memberId: ja.memberId }), jb]);
  expect([ja2.generationId, jb2.generationId]).toEqual([2, 2]);
  const refA = { ...refA1, generationId: 2 };
  const refB: MemberRef = { groupId: o.groupId, memberId: jb2.memberId, generationId: 2 };
  expect(ja2.leader).toBe(refA.memberId);
  const assignments = [
    { memberId: refA.memberId, assignment: assignmentBytes(TOPIC, [0]) },
    { memberId: refB.memberId, assignment: assignmentBytes(TOPIC, [1]) },
  ];
  const synced = await Promise.all([syncGroup(a, refA, assignments), syncGroup(b, refB)]);
  expect(synced.map((s) => s.errorCode)).toEqual([0, 0]);
  expect((await describeRaw(raw, o.groupId)).groupState).toBe('Stable');
  return { a, b, refA, refB };
}

describe('rebalance protocol', () => {
  it('group.initial.rebalance.delay.ms (default 3000) puts a quick second joiner into generation 1', async () => {
    for (const delayed of [true, false]) {
      const { raw, connect } = await start(delayed ? {} : { 'group.initial.rebalance.delay.ms': 0 });
      const o = { groupId: 'g-delay', topics: [TOPIC] };
      const a = await connect();
      const b = await connect();
      const ja = joinWithId(a, o);
      await expect.poll(async () => (await describeRaw(raw, o.groupId)).members.length).toBe(1);
      const jb = joinWithId(b, o);
      if (delayed) {
        // Both land in the first generation: one rebalance instead of two.
        const [ra, rb] = await Promise.all([ja, jb]);
        expect([ra.errorCode, rb.errorCode, ra.generationId, rb.generationId]).toEqual([0, 0, 1, 1]);
        const leader = ra.leader === ra.memberId ? ra : rb;
        expect(leader.members.map((m) => m.memberId).sort()).toEqual([ra.memberId, rb.memberId].sort());
      } else {
        // Without the delay A's generation 1 completes at once and B's join starts generation 2.
        const ra = await ja;
        expect(ra).toMatchObject({ errorCode: 0, generationId: 1 });
        expect(ra.members.map((m) => m.memberId)).toEqual([ra.memberId]);
        const refA: MemberRef = { groupId: o.groupId, memberId: ra.memberId, generationId: 1 };
        await syncGroup(a, refA, [{ memberId: ra.memberId, assignment: assignmentBytes(TOPIC, [0, 1]) }]);
        await expect.poll(() => heartbeat(a, refA)).toBe(27);
        const [ra2, rb] = await Promise.all([joinGroup(a, 5, { ...o, memberId: ra.memberId }), jb]);
        expect([ra2.generationId, rb.generationId]).toEqual([2, 2]);
      }
      for (const c of cleanups.splice(0).reverse()) await c();
    }
  });

  it('commits are accepted while PreparingRebalance, REBALANCE_IN_PROGRESS while CompletingRebalance', async () => {
    const { raw, connect } = await start({ 'group.initial.rebalance.delay.ms': 0 });
    const o = { groupId: 'g-commit', topics: [TOPIC] };
    const a = await connect();
    const ja = await joinWithId(a, o);
    const refA: MemberRef = { groupId: o.groupId, memberId: ja.memberId, generationId: 1 };
    await syncGroup(a, refA, [{ memberId: ja.memberId, assignment: assignmentBytes(TOPIC, [0, 1]) }]);

    const b = await connect();
    const jb = joinWithId(b, o);
    await expect.poll(() => heartbeat(a, refA)).toBe(27);
    // A still owns its partitions until it rejoins: its commit (as on revocation) is kept.
    expect(await commit(a, refA, TOPIC, [[0, 10, 'revoked']])).toEqual({ 0: 0 });

    const [ja2, jb2] = await Promise.all([joinGroup(a, 5, { ...o, memberId: refA.memberId }), jb]);
    const refA2 = { ...refA, generationId: 2 };
    const refB: MemberRef = { groupId: o.groupId, memberId: jb2.memberId, generationId: 2 };
    // Until the leader's assignment the group describes without protocol, metadata or assignments.
    const completing = await describeRaw(raw, o.groupId);
    expect([ja2.generationId, completing.groupState, completing.protocolData]).toEqual([
      2,
      'CompletingRebalance',
      '',
    ]);
    expect(completing.members.map((m) => [m.memberMetadata.length, m.memberAssignment.length])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(await commit(a, refA2, TOPIC, [[0, 11, '']])).toEqual({ 0: 27 });
    expect(await commit(b, refB, TOPIC, [[1, 11, '']])).toEqual({ 1: 27 });
    expect(await commit(a, refA, TOPIC, [[0, 11, '']])).toEqual({ 0: 22 });

    await Promise.all([
      syncGroup(a, refA2, [
        { memberId: refA.memberId, assignment: assignmentBytes(TOPIC, [0]) },
        { memberId: refB.memberId, assignment: assignmentBytes(TOPIC, [1]) },
      ]),
      syncGroup(b, refB),
    ]);
    expect(await commit(b, refB, TOPIC, [[1, 12, '']])).toEqual({ 1: 0 });
    const stable = await describeRaw(raw, o.groupId);
    expect([stable.groupState, stable.protocolData]).toEqual(['Stable', 'range']);
    expect(stable.members.every((m) => m.memberMetadata.length > 0 && m.memberAssignment.length > 0)).toBe(
      true,
    );
  });

  it('a member that does not rejoin within the rebalance timeout is left out of the next generation', async () => {
    const { raw, connect } = await start({ 'group.initial.rebalance.delay.ms': 0 });
    const o = { groupId: 'g-timeout', topics: [TOPIC], rebalanceTimeoutMs: 1_500 };
    const { a, b, refA, refB } = await twoMembers(raw, connect, o);
    // The leader rejoins; B keeps heartbeating (and hears REBALANCE_IN_PROGRESS) but never rejoins.
    const started = Date.now();
    const ja = joinGroup(a, 5, { ...o, memberId: refA.memberId });
    await expect.poll(() => heartbeat(b, refB)).toBe(27);
    const r = await ja;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(r).toMatchObject({ errorCode: 0, generationId: 3, leader: refA.memberId });
    expect(r.members.map((m) => m.memberId)).toEqual([refA.memberId]);
    expect(await heartbeat(b, { ...refB, generationId: 3 })).toBe(25);
    const g = await describeRaw(raw, o.groupId);
    expect([g.groupState, g.members.map((m) => m.memberId)]).toEqual([
      'CompletingRebalance',
      [refA.memberId],
    ]);
  });

  it('LeaveGroup v3+ removes several members at once; the group becomes Empty', async () => {
    const { raw, connect } = await start({ 'group.initial.rebalance.delay.ms': 0 });
    const o = { groupId: 'g-leave', topics: [TOPIC] };
    const { refA, refB } = await twoMembers(raw, connect, o);
    const res = await raw.request<LeaveGroupResponse>(API.LEAVE_GROUP, 4, {
      groupId: o.groupId,
      members: [
        { memberId: refA.memberId, groupInstanceId: null },
        { memberId: 'stranger', groupInstanceId: null },
        { memberId: refB.memberId, groupInstanceId: null },
      ],
    });
    expect(res.errorCode).toBe(0);
    expect(res.members?.map((m) => [m.memberId, m.errorCode])).toEqual([
      [refA.memberId, 0],
      ['stranger', 25],
      [refB.memberId, 0],
    ]);
    const g = await describeRaw(raw, o.groupId);
    expect([g.groupState, g.members]).toEqual(['Empty', []]);
    // The group is known (Empty, not Dead) and takes a new member in a later generation.
    const c = await connect();
    expect(await joinWithId(c, o)).toMatchObject({ errorCode: 0, generationId: 4 });
  });
  it('a member id handed out with MEMBER_ID_REQUIRED that leaves instead of joining does not hold the rebalance', async () => {
    const { raw, connect } = await start({ 'group.initial.rebalance.delay.ms': 0 });
    const o = { groupId: 'g-pending-leave', topics: [TOPIC], rebalanceTimeoutMs: 60_000 };
    const { a, b, refA, refB } = await twoMembers(raw, connect, o);
    // A third client asks to join and gets its id, then leaves without joining with it.
    const c = await connect();
    const first = await joinGroup(c, 5, o);
    expect(first.errorCode).toBe(79);
    // The existing members rejoin (a rebalance), which must not wait for the pending id.
    const rejoin = Promise.all([
      joinGroup(a, 5, { ...o, memberId: refA.memberId }),
      joinGroup(b, 5, { ...o, memberId: refB.memberId }),
    ]);
    const res = await raw.request<LeaveGroupResponse>(API.LEAVE_GROUP, 4, {
      groupId: o.groupId,
      members: [{ memberId: first.memberId, groupInstanceId: null }],
    });
    expect(res.members?.map((m) => m.errorCode)).toEqual([0]);
    // Without the leave, this join would wait for the 60 s rebalance timeout.
    const joined = await Promise.race([rejoin, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    expect(joined).not.toBeNull();
    expect(joined!.map((j) => j.errorCode)).toEqual([0, 0]);
  }, 30_000);
});
