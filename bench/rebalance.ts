/**
 * Rebalance: a 4-member kafkajs consumer group (all in this process) on a 12-partition topic. A
 * member has its assignment when kafkajs emits GROUP_JOIN (after JoinGroup and SyncGroup); the group
 * is stable when every member has joined since the change and their latest assignments cover the 12
 * partitions exactly once, and no further GROUP_JOIN follows within SETTLE_MS. Times are from the
 * change (connect() of the new member, disconnect() of the leaving one) to the last of those joins.
 *
 * Existing members learn of a rebalance from a heartbeat answer (REBALANCE_IN_PROGRESS); kafkajs
 * heartbeats between fetches, so heartbeatInterval and maxWaitTimeInMs bound how soon they rejoin.
 * They are set to 100 ms here (kafkajs defaults: 3000 and 5000 ms) so the figure is the group
 * protocol's round trips, not the client's idle timers.
 *
 * Measured with group.initial.rebalance.delay.ms=0: a cold start (4 members at once into a new group),
 * then ROUNDS x (the 4th member leaves; a new 4th member joins the 3 stable ones). Then a cold start on
 * a second broker with the default delay of 3000 ms, where the broker waits for more members.
 */
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import { startBrokerProcess, type BrokerProcess } from './broker-process';
import { createTopic } from './clients';
import { fmt, loadAverage, mib, sampleBroker, sleep, within } from './sampling';

const TOPIC = 'bench-rebalance';
const PARTITIONS = 12;
const MEMBERS = 4;
const ROUNDS = 3;
const HEARTBEAT_MS = 100;
const MAX_WAIT_MS = 100;
const SETTLE_MS = 500;
const STABLE_TIMEOUT_MS = 30_000;
const NAME_WIDTH = 34;

interface Member {
  consumer: Consumer;
  joins: { at: number; partitions: number[] }[];
}

async function startMember(kafka: Kafka, groupId: string): Promise<Member> {
  const consumer = kafka.consumer({
    groupId,
    heartbeatInterval: HEARTBEAT_MS,
    maxWaitTimeInMs: MAX_WAIT_MS,
    sessionTimeout: 10_000,
  });
  const member: Member = { consumer, joins: [] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    member.joins.push({ at: performance.now(), partitions: e.payload.memberAssignment[TOPIC] ?? [] });
  });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({ eachMessage: async () => {} });
  return member;
}

const stopMember = (m: Member) =>
  within(m.consumer.disconnect(), 15_000, 'consumer disconnect').catch(() => {});

interface Stable {
  ms: number;
  /** GROUP_JOIN events since the change, over all members. */
  joins: number;
}

function stableAt(members: Member[], since: number): number | undefined {
  const owned = new Set<number>();
  let count = 0;
  let last = since;
  for (const m of members) {
    const j = m.joins[m.joins.length - 1];
    if (!j || j.at < since) return undefined;
    for (const p of j.partitions) owned.add(p);
    count += j.partitions.length;
    last = Math.max(last, j.at);
  }
  return owned.size === PARTITIONS && count === PARTITIONS ? last : undefined;
}

/** Waits until `members` are stable (see the module comment) and returns the time since `since`. */
async function waitStable(members: Member[], since: number): Promise<Stable> {
  const deadline = since + STABLE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const at = stableAt(members, since);
    if (at !== undefined) {
      await sleep(SETTLE_MS);
      if (members.every((m) => m.joins[m.joins.length - 1].at <= at)) {
        const joins = members.reduce((n, m) => n + m.joins.filter((j) => j.at >= since).length, 0);
        return { ms: at - since, joins };
      }
      continue; // another rebalance followed: wait for it to finish
    }
    await sleep(5);
  }
  throw new Error(`group not stable after ${STABLE_TIMEOUT_MS} ms`);
}

const describe = (s: Stable) => `${fmt(s.ms).padStart(6)} ms  (${s.joins} GROUP_JOIN events)`;

/** 4 members started together into a new group; the members are left running. */
async function coldStart(kafka: Kafka, groupId: string): Promise<{ stable: Stable; members: Member[] }> {
  const since = performance.now();
  const started = await Promise.allSettled(
    Array.from({ length: MEMBERS }, () => startMember(kafka, groupId)),
  );
  const members = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(members.map(stopMember));
    throw (failed as PromiseRejectedResult).reason;
  }
  try {
    return { stable: await waitStable(members, since), members };
  } catch (err) {
    await Promise.all(members.map(stopMember));
    throw err;
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function withDelayZero(): Promise<void> {
  let broker: BrokerProcess | undefined;
  const members: Member[] = [];
  try {
    broker = await startBrokerProcess({ properties: { 'group.initial.rebalance.delay.ms': 0 } });
    await createTopic(broker.bootstrap, TOPIC, PARTITIONS);
    const kafka = new Kafka({
      clientId: 'bench-rebalance',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    const usage = sampleBroker(broker);
    const t0 = performance.now();
    const cold = await coldStart(kafka, 'bench-rebalance-0');
    members.push(...cold.members);
    console.log(`${'cold start, 4 members, delay 0'.padEnd(NAME_WIDTH)} ${describe(cold.stable)}`);

    const joins: number[] = [];
    const leaves: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const leaving = members.pop()!;
      let since = performance.now();
      const left = stopMember(leaving);
      const afterLeave = await waitStable(members, since);
      await left;
      leaves.push(afterLeave.ms);
      console.log(`${`  round ${round}: 4th member leaves`.padEnd(NAME_WIDTH)} ${describe(afterLeave)}`);

      since = performance.now();
      members.push(
        await startMember(
          new Kafka({
            clientId: `bench-rebalance-${round}`,
            brokers: [broker.bootstrap],
            logLevel: logLevel.NOTHING,
          }),
          'bench-rebalance-0',
        ),
      );
      const afterJoin = await waitStable(members, since);
      joins.push(afterJoin.ms);
      console.log(`${`  round ${round}: 4th member joins 3`.padEnd(NAME_WIDTH)} ${describe(afterJoin)}`);
    }
    const u = usage.stop();
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `${'join of a 4th member, median'.padEnd(NAME_WIDTH)} ${fmt(median(joins)).padStart(6)} ms  ` +
        `(${joins.map((j) => fmt(j)).join(', ')})`,
    );
    console.log(
      `${'leave of 1 of 4 members, median'.padEnd(NAME_WIDTH)} ${fmt(median(leaves)).padStart(6)} ms  ` +
        `(${leaves.map((j) => fmt(j)).join(', ')})`,
    );
    console.log(
      `${'  broker'.padEnd(NAME_WIDTH)} CPU ${fmt(u.cpuSeconds, 2)} s over ${fmt(seconds, 1)} s, RSS max ${mib(u.maxRss)}`,
    );
  } finally {
    await Promise.all(members.map(stopMember));
    await broker?.stop();
  }
}

async function withDefaultDelay(): Promise<void> {
  let broker: BrokerProcess | undefined;
  let members: Member[] = [];
  try {
    broker = await startBrokerProcess(); // group.initial.rebalance.delay.ms 3000, Kafka's default
    await createTopic(broker.bootstrap, TOPIC, PARTITIONS);
    const kafka = new Kafka({
      clientId: 'bench-rebalance',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    const cold = await coldStart(kafka, 'bench-rebalance-3000');
    members = cold.members;
    console.log(`${'cold start, 4 members, delay 3000'.padEnd(NAME_WIDTH)} ${describe(cold.stable)}`);
  } finally {
    await Promise.all(members.map(stopMember));
    await broker?.stop();
  }
}

export async function rebalanceBenchmarks(): Promise<void> {
  console.log(
    `${MEMBERS} kafkajs members (one process), ${PARTITIONS} partitions, RoundRobin assignor, heartbeatInterval ` +
      `${HEARTBEAT_MS} ms, maxWaitTimeInMs ${MAX_WAIT_MS} ms; load average ${loadAverage()}`,
  );
  for (const [name, run] of [
    ['delay 0', withDelayZero],
    ['delay 3000', withDefaultDelay],
  ] as const) {
    try {
      await run();
    } catch (err) {
      console.log(`${`rebalance, ${name}`.padEnd(NAME_WIDTH)} failed: ${(err as Error).message.trim()}`);
    }
  }
}
