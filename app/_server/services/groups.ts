import { AssignerProtocol, type Admin, type GroupDescription, type MemberDescription } from 'kafkajs';
import { notFound } from '../errors';
import { withAdmin } from '../kafka';
import type { GroupDetail, GroupListItem, GroupMember, GroupOffset, GroupsResponse } from '../schemas/groups';
import type { TopicGroup } from '../schemas/topics';
import { FAN_OUT, mapLimit, watermarksOf, type Watermarks } from './shared';

/** topic -> partition -> committed offset (partitions without a commit are absent). */
export type Committed = Map<string, Map<number, bigint>>;

export async function committedOffsets(admin: Admin, groupId: string): Promise<Committed> {
  // No topic list: OffsetFetch v2+ with null topics returns every committed partition of the group.
  const topics = await admin.fetchOffsets({ groupId });
  const out: Committed = new Map();
  for (const { topic, partitions } of topics) {
    const byPartition = new Map<number, bigint>();
    for (const p of partitions) if (Number(p.offset) >= 0) byPartition.set(p.partition, BigInt(p.offset));
    if (byPartition.size > 0) out.set(topic, byPartition);
  }
  return out;
}

// DescribeGroups per coordinator; chunks keep one request from growing without bound at 1000s of groups.
async function describeAll(admin: Admin, ids: string[]): Promise<Map<string, GroupDescription>> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100));
  const results = await mapLimit(chunks, 4, async (chunk) => (await admin.describeGroups(chunk)).groups);
  return new Map(results.flat().map((g) => [g.groupId, g]));
}

/** The consumer protocol's assignment (ConsumerProtocolAssignment); other protocols carry none we can read. */
function assignments(m: MemberDescription, protocolType: string): GroupMember['assignments'] {
  if (protocolType !== 'consumer' || !m.memberAssignment?.length) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
    return Object.entries(decoded?.assignment ?? {})
      .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  } catch {
    return [];
  }
}

function members(g: GroupDescription): GroupMember[] {
  return g.members.map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.clientHost,
    assignments: assignments(m, g.protocolType),
  }));
}

function partitionLag(committed: bigint, wm: Watermarks | undefined): number | null {
  if (!wm) return null;
  return Number(wm.high > committed ? wm.high - committed : 0n);
}

/** Sum of the lags of committed partitions; null when nothing is committed (or nothing is readable). */
function totalLag(
  committed: Map<number, bigint> | undefined,
  wm: Map<number, Watermarks> | undefined,
): number | null {
  let total: number | null = null;
  for (const [partition, offset] of committed ?? []) {
    const lag = partitionLag(offset, wm?.get(partition));
    if (lag !== null) total = (total ?? 0) + lag;
  }
  return total;
}

interface GroupSnapshot {
  id: string;
  protocolType: string;
  description?: GroupDescription;
  committed: Committed;
  members: GroupMember[];
  topics: Set<string>;
}

async function snapshotAll(admin: Admin): Promise<GroupSnapshot[]> {
  const { groups } = await admin.listGroups();
  const ids = groups.map((g) => g.groupId).sort();
  const [descriptions, committed] = await Promise.all([
    describeAll(admin, ids),
    mapLimit(ids, FAN_OUT, (id) => committedOffsets(admin, id)),
  ]);
  return groups
    .sort((a, b) => (a.groupId < b.groupId ? -1 : 1))
    .map((g, i) => {
      const description = descriptions.get(g.groupId);
      const groupMembers = description ? members(description) : [];
      const topics = new Set(committed[i].keys());
      for (const m of groupMembers) for (const a of m.assignments) topics.add(a.topic);
      return {
        id: g.groupId,
        protocolType: description?.protocolType || g.protocolType,
        description,
        committed: committed[i],
        members: groupMembers,
        topics,
      };
    });
}

/** Every group with its state, member count, topics and total lag (OffsetFetch per group, ListOffsets per topic). */
export async function listGroups(): Promise<GroupsResponse> {
  return withAdmin(async (admin) => {
    const groups = await snapshotAll(admin);
    const wm = await watermarksOf(
      admin,
      groups.flatMap((g) => [...g.committed.keys()]),
    );
    const rows: GroupListItem[] = groups.map((g) => {
      let lag: number | null = null;
      for (const [topic, partitions] of g.committed) {
        const l = totalLag(partitions, wm.get(topic));
        if (l !== null) lag = (lag ?? 0) + l;
      }
      return {
        groupId: g.id,
        state: g.description?.state ?? 'Unknown',
        protocolType: g.protocolType,
        members: g.members.length,
        topics: [...g.topics].sort(),
        lag,
      };
    });
    return { groups: rows };
  });
}

/** Groups that committed offsets on `topic` or have a member assigned to it, with their lag on it. */
export async function groupsReadingTopic(
  admin: Admin,
  topic: string,
  wm: Map<number, Watermarks>,
): Promise<TopicGroup[]> {
  const groups = await snapshotAll(admin);
  return groups
    .filter((g) => g.topics.has(topic))
    .map((g) => ({
      groupId: g.id,
      state: g.description?.state ?? 'Unknown',
      lag: totalLag(g.committed.get(topic), wm),
    }));
}

function groupNotFound(id: string) {
  return notFound('GROUP_ID_NOT_FOUND', `Consumer group '${id}' does not exist`);
}

/** A group's members with their assignments, and per partition its committed offset, log end and lag. */
export async function getGroup(id: string): Promise<GroupDetail> {
  return withAdmin(async (admin) => {
    const [{ groups }, committed] = await Promise.all([
      admin.describeGroups([id]),
      committedOffsets(admin, id),
    ]);
    const g = groups.find((d) => d.groupId === id);
    // DescribeGroups answers Dead (not an error) for a group the coordinator does not know.
    if (!g || (g.state === 'Dead' && g.members.length === 0 && committed.size === 0)) throw groupNotFound(id);
    const groupMembers = members(g);
    const partitions = new Map<string, Set<number>>();
    const add = (topic: string, p: number) =>
      partitions.set(topic, (partitions.get(topic) ?? new Set()).add(p));
    for (const [topic, byPartition] of committed) for (const p of byPartition.keys()) add(topic, p);
    for (const m of groupMembers)
      for (const a of m.assignments) for (const p of a.partitions) add(a.topic, p);
    const wm = await watermarksOf(admin, partitions.keys());
    const offsets: GroupOffset[] = [];
    for (const t of [...partitions.keys()].sort()) {
      for (const p of [...partitions.get(t)!].sort((a, b) => a - b)) {
        const c = committed.get(t)?.get(p);
        const end = wm.get(t)?.get(p);
        offsets.push({
          topic: t,
          partition: p,
          committed: c === undefined ? null : c.toString(),
          logEnd: end === undefined ? null : end.high.toString(),
          lag: c === undefined ? null : partitionLag(c, end),
        });
      }
    }
    return {
      groupId: g.groupId,
      state: g.state,
      protocol: g.protocol,
      protocolType: g.protocolType,
      members: groupMembers,
      offsets,
    };
  });
}

/** DeleteGroups: Kafka refuses groups with members (NON_EMPTY_GROUP, 409). */
export async function deleteGroup(id: string): Promise<void> {
  await withAdmin((admin) => admin.deleteGroups([id]));
}
