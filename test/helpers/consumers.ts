/**
 * Shared pieces of the consumer-group tests (groups-*.test.ts): polling with a deadline, kafkajs
 * clients, producing a numbered data set, consumer processes (kcat -G, confluent-kafka-python) whose
 * stdout lines are parsed as they arrive, and raw group requests built with the generated codecs (one
 * RawClient per member: a JoinGroup holds its connection until the rebalance completes). Not a test file.
 */
import path from 'node:path';
import {
  AssignerProtocol,
  Kafka,
  logLevel,
  PartitionAssigners,
  type Admin,
  type PartitionAssigner,
} from 'kafkajs';
import { writeConsumerProtocolAssignment } from '../../broker/protocol/generated/consumer-protocol-assignment';
import { writeConsumerProtocolSubscription } from '../../broker/protocol/generated/consumer-protocol-subscription';
import type { DescribedGroup, DescribeGroupsResponse } from '../../broker/protocol/generated/describe-groups';
import type { HeartbeatResponse } from '../../broker/protocol/generated/heartbeat';
import type { JoinGroupRequestProtocol, JoinGroupResponse } from '../../broker/protocol/generated/join-group';
import type { OffsetCommitResponse } from '../../broker/protocol/generated/offset-commit';
import type { OffsetFetchResponse } from '../../broker/protocol/generated/offset-fetch';
import type { SyncGroupResponse } from '../../broker/protocol/generated/sync-group';
import { Writer } from '../../broker/protocol/writer';
import type { RawClient } from '../integration/raw-client';
import { startProcess, type RunningProcess } from './process';

export const PYTHON = '/usr/bin/python3';
export const GROUPS_PY = path.join(__dirname, '..', 'compat', 'python', 'groups_clients.py');

/** Polls `probe` until it returns something other than undefined/false; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function kafkaClient(bootstrap: string, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
}

/**
 * kafkajs's round-robin assigner under librdkafka's protocol name: a group only forms when its members
 * share a protocol, and kafkajs calls its own "RoundRobinAssigner". The assignment bytes are the
 * standard ConsumerProtocol either way.
 */
export const librdkafkaRoundRobin: PartitionAssigner = (config) => ({
  ...PartitionAssigners.roundRobin(config),
  name: 'roundrobin',
});

/** Produces `count` records spread round-robin over `partitions`, value = the record's number. */
export async function produceNumbered(
  kafka: Kafka,
  topic: string,
  partitions: number,
  count: number,
  first = 0,
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let start = first; start < first + count; start += 2_000) {
      const end = Math.min(first + count, start + 2_000);
      const messages = [];
      for (let i = start; i < end; i++) messages.push({ partition: i % partitions, value: String(i) });
      await producer.send({ topic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Log-end offset (high watermark) per partition. */
export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

/** Committed offset per partition (-1 for none), as kafkajs's admin reads them (OffsetFetch). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string) {
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map(t.partitions.map((p) => [p.partition, Number(p.offset)]));
}

export interface GroupView {
  state: string;
  protocol: string;
  protocolType: string;
  members: { memberId: string; clientId: string; partitions: number[] }[];
}

/** describeGroups through kafkajs, with each member's assignment decoded (partitions of `topic`). */
export async function describeGroup(admin: Admin, groupId: string, topic: string): Promise<GroupView> {
  const { groups } = await admin.describeGroups([groupId]);
  const g = groups[0];
  return {
    state: g.state,
    protocol: g.protocol,
    protocolType: g.protocolType,
    members: g.members.map((m) => {
      const a = m.memberAssignment.length
        ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment)
        : null;
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        partitions: [...(a?.assignment[topic] ?? [])].sort((x, y) => x - y),
      };
    }),
  };
}

/** Waits until the group is Stable with `n` members whose assignments cover `partitions` once. */
export function waitStable(
  admin: Admin,
  groupId: string,
  topic: string,
  n: number,
  partitions: number,
  ms = 20_000,
) {
  return waitFor(
    `${groupId} Stable with ${n} members covering ${partitions} partitions`,
    async () => {
      const g = await describeGroup(admin, groupId, topic);
      const owned = g.members.flatMap((m) => m.partitions).sort((a, b) => a - b);
      const whole = owned.length === partitions && owned.every((p, i) => p === i);
      return g.state === 'Stable' && g.members.length === n && whole && g;
    },
    ms,
    200,
  );
}

export interface Consumed {
  partition: number;
  offset: number;
}

/** A consumer child process printing one line per event; `lines` sees each as it arrives. */
export class LineProcess {
  readonly running: RunningProcess;
  private partial = '';

  constructor(command: string, args: string[], onLine: (line: string) => void) {
    this.running = startProcess(command, args);
    this.running.proc.stdout?.on('data', (chunk: Buffer) => {
      const text = this.partial + chunk.toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const l of lines) if (l.length > 0) onLine(l);
    });
  }

  /** SIGKILL: the process gets no chance to leave the group or commit. */
  kill(): void {
    if (this.running.proc.pid !== undefined && this.running.alive())
      process.kill(this.running.proc.pid, 'SIGKILL');
  }

  stop(): Promise<void> {
    return this.running.stop();
  }

  tail(): string {
    return this.running.output().slice(-3_000);
  }
}

/** How often each "partition:offset" occurs in `records`. */
export function tally(records: readonly Consumed[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of records)
    m.set(`${r.partition}:${r.offset}`, (m.get(`${r.partition}:${r.offset}`) ?? 0) + 1);
  return m;
}

export const API = {
  OFFSET_COMMIT: 8,
  OFFSET_FETCH: 9,
  FIND_COORDINATOR: 10,
  JOIN_GROUP: 11,
  HEARTBEAT: 12,
  LEAVE_GROUP: 13,
  SYNC_GROUP: 14,
  DESCRIBE_GROUPS: 15,
  LIST_GROUPS: 16,
  CREATE_TOPICS: 19,
  DELETE_GROUPS: 42,
  OFFSET_DELETE: 47,
} as const;

/** ConsumerProtocolSubscription v0 bytes, as a consumer's JoinGroup protocol metadata. */
export function subscriptionBytes(topics: string[]): Buffer {
  const w = new Writer().int16(0);
  writeConsumerProtocolSubscription(w, 0, { topics, userData: null });
  return Buffer.from(w.toBuffer());
}

/** ConsumerProtocolAssignment v0 bytes, as the leader's SyncGroup assignment. */
export function assignmentBytes(topic: string, partitions: number[]): Buffer {
  const w = new Writer().int16(0);
  writeConsumerProtocolAssignment(w, 0, { assignedPartitions: [{ topic, partitions }], userData: null });
  return Buffer.from(w.toBuffer());
}

export interface JoinOptions {
  groupId: string;
  memberId?: string;
  groupInstanceId?: string | null;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  protocolType?: string;
  protocols?: JoinGroupRequestProtocol[];
  /** Subscribed topics for the default protocol ("range"). */
  topics?: string[];
}

export function joinGroup(raw: RawClient, v: number, o: JoinOptions): Promise<JoinGroupResponse> {
  return raw.request<JoinGroupResponse>(API.JOIN_GROUP, v, {
    groupId: o.groupId,
    sessionTimeoutMs: o.sessionTimeoutMs ?? 30_000,
    rebalanceTimeoutMs: o.rebalanceTimeoutMs ?? 10_000,
    memberId: o.memberId ?? '',
    groupInstanceId: o.groupInstanceId ?? null,
    protocolType: o.protocolType ?? 'consumer',
    protocols: o.protocols ?? [{ name: 'range', metadata: subscriptionBytes(o.topics ?? []) }],
    reason: null,
  });
}

/** JoinGroup v5 the KIP-394 way: MEMBER_ID_REQUIRED hands out an id, the second join uses it. */
export async function joinWithId(raw: RawClient, o: JoinOptions): Promise<JoinGroupResponse> {
  const first = await joinGroup(raw, 5, o);
  if (first.errorCode !== 79) return first;
  return joinGroup(raw, 5, { ...o, memberId: first.memberId });
}

export interface MemberRef {
  groupId: string;
  memberId: string;
  generationId: number;
  groupInstanceId?: string | null;
}

export function syncGroup(
  raw: RawClient,
  m: MemberRef,
  assignments: { memberId: string; assignment: Buffer }[] = [],
  v = 3,
): Promise<SyncGroupResponse> {
  return raw.request<SyncGroupResponse>(API.SYNC_GROUP, v, {
    groupId: m.groupId,
    generationId: m.generationId,
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId ?? null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments,
  });
}

export async function heartbeat(raw: RawClient, m: MemberRef, v = 3): Promise<number> {
  const res = await raw.request<HeartbeatResponse>(API.HEARTBEAT, v, {
    groupId: m.groupId,
    generationId: m.generationId,
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId ?? null,
  });
  return res.errorCode;
}

/** OffsetCommit v8 of [partition, offset, metadata] for one topic; the error code per partition. */
export async function commit(
  raw: RawClient,
  m: MemberRef,
  topic: string,
  offsets: [partition: number, offset: number, metadata: string][],
): Promise<Record<number, number>> {
  const res = await raw.request<OffsetCommitResponse>(API.OFFSET_COMMIT, 8, {
    groupId: m.groupId,
    generationIdOrMemberEpoch: m.generationId,
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId ?? null,
    topics: [
      {
        name: topic,
        partitions: offsets.map(([partitionIndex, offset, metadata]) => ({
          partitionIndex,
          committedOffset: BigInt(offset),
          committedLeaderEpoch: -1,
          committedMetadata: metadata,
        })),
      },
    ],
  });
  return Object.fromEntries(res.topics[0].partitions.map((p) => [p.partitionIndex, p.errorCode]));
}

/** OffsetFetch v7: the group error and {offset, metadata} per partition (offset -1: none). */
export async function fetchCommitted(raw: RawClient, groupId: string, topic: string, partitions: number[]) {
  const res = await raw.request<OffsetFetchResponse>(API.OFFSET_FETCH, 7, {
    groupId,
    topics: [{ name: topic, partitionIndexes: partitions }],
    requireStable: false,
  });
  const offsets: Record<number, { offset: number; metadata: string | null }> = {};
  for (const p of res.topics?.[0]?.partitions ?? [])
    offsets[p.partitionIndex] = { offset: Number(p.committedOffset), metadata: p.metadata };
  return { errorCode: res.errorCode ?? 0, offsets };
}

export async function describeRaw(raw: RawClient, groupId: string): Promise<DescribedGroup> {
  const res = await raw.request<DescribeGroupsResponse>(API.DESCRIBE_GROUPS, 5, {
    groups: [groupId],
    includeAuthorizedOperations: false,
  });
  return res.groups[0];
}
