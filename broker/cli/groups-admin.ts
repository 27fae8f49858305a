/**
 * Consumer-group admin on the wire client, where kafkajs falls short for kafka-consumer-groups: its
 * fetchOffsets needs the topic list (OffsetFetch v2+ with null topics returns every committed offset),
 * its setOffsets joins the group as a member (Kafka's admin commits with generation -1 and no member
 * id, which the coordinator accepts for an Empty or unknown group), and it has no coordinator lookup.
 */
import type { DeleteGroupsResponse } from '../protocol/generated/delete-groups';
import type { DescribedGroup, DescribeGroupsResponse } from '../protocol/generated/describe-groups';
import type { FindCoordinatorResponse } from '../protocol/generated/find-coordinator';
import type { ListGroupsResponse } from '../protocol/generated/list-groups';
import type { OffsetCommitResponse } from '../protocol/generated/offset-commit';
import type { OffsetFetchResponse } from '../protocol/generated/offset-fetch';
import { readConsumerProtocolAssignment } from '../protocol/generated/consumer-protocol-assignment';
import { Reader } from '../protocol/reader';
import type { Cluster } from './cluster';
import { KafkaCodeError } from './errors';
import type { WireConnection } from './wire';
import { API } from './wire';

const COORDINATOR_LOAD_IN_PROGRESS = 14;
const COORDINATOR_NOT_AVAILABLE = 15;
const NOT_COORDINATOR = 16;
const RETRIABLE = new Set([COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR]);

export interface Coordinator {
  nodeId: number;
  host: string;
  port: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries what a coordinator answers while it loads or moves (as the admin client does). */
async function retrying<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1_000)) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof KafkaCodeError) || !RETRIABLE.has(e.code) || Date.now() + wait > deadline) throw e;
      await sleep(wait);
    }
  }
}

export function findCoordinator(cluster: Cluster, groupId: string): Promise<Coordinator> {
  return retrying(async () => {
    const conn = cluster.bootstrap;
    const v = conn.version(API.FIND_COORDINATOR);
    const res = await conn.send<FindCoordinatorResponse>(
      API.FIND_COORDINATOR,
      v >= 4 ? { keyType: 0, coordinatorKeys: [groupId] } : { key: groupId, keyType: 0 },
      v,
    );
    const c = v >= 4 ? res.coordinators?.[0] : res;
    if (!c) throw new KafkaCodeError(COORDINATOR_NOT_AVAILABLE);
    if ((c.errorCode ?? 0) !== 0) throw new KafkaCodeError(c.errorCode ?? -1, c.errorMessage);
    return { nodeId: c.nodeId ?? -1, host: c.host ?? '', port: c.port ?? -1 };
  });
}

async function coordinatorConn(cluster: Cluster, groupId: string): Promise<[WireConnection, Coordinator]> {
  const c = await findCoordinator(cluster, groupId);
  if (!cluster.broker(c.nodeId)) await cluster.metadata([]);
  return [await cluster.node(c.nodeId), c];
}

export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Assigned partitions (ConsumerProtocol assignment); empty for non-consumer groups. */
  assignment: { topic: string; partition: number }[];
}

export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: GroupMember[];
  coordinator: Coordinator;
}

function decodeAssignment(bytes: Buffer): { topic: string; partition: number }[] {
  if (!bytes || bytes.length < 2) return [];
  try {
    const r = new Reader(bytes);
    const version = r.int16();
    const a = readConsumerProtocolAssignment(r, Math.min(version, 3));
    return a.assignedPartitions.flatMap((tp) =>
      tp.partitions.map((partition) => ({ topic: tp.topic, partition })),
    );
  } catch {
    return [];
  }
}

export async function describeGroup(cluster: Cluster, groupId: string): Promise<GroupDescription> {
  return retrying(async () => {
    const [conn, coordinator] = await coordinatorConn(cluster, groupId);
    const res = await conn.send<DescribeGroupsResponse>(API.DESCRIBE_GROUPS, {
      groups: [groupId],
      includeAuthorizedOperations: false,
    });
    const g: DescribedGroup | undefined = res.groups[0];
    // GROUP_ID_NOT_FOUND (69, DescribeGroups v6+ of newer brokers) means the same as Dead.
    if (g && g.errorCode === 69)
      return { groupId, state: 'Dead', protocolType: '', protocol: '', members: [], coordinator };
    if (!g || g.errorCode !== 0) throw new KafkaCodeError(g?.errorCode ?? -1);
    return {
      groupId,
      state: g.groupState,
      protocolType: g.protocolType,
      protocol: g.protocolData,
      coordinator,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? null,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignment:
          g.protocolType === 'consumer' || g.protocolType === '' ? decodeAssignment(m.memberAssignment) : [],
      })),
    };
  });
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: string | null;
}

/** ListGroups on every broker (each lists the groups it coordinates). */
export async function listGroups(cluster: Cluster): Promise<ListedGroup[]> {
  const seen = new Map<string, ListedGroup>();
  for (const id of cluster.brokerIds()) {
    const conn = await cluster.node(id);
    const res = await conn.send<ListGroupsResponse>(API.LIST_GROUPS, { statesFilter: [], typesFilter: [] });
    if (res.errorCode !== 0) throw new KafkaCodeError(res.errorCode);
    for (const g of res.groups)
      seen.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType, state: g.groupState ?? null });
  }
  return [...seen.values()];
}

/** Committed offsets of a group: "topic" -> partition -> offset (only partitions with one). */
export async function fetchCommitted(
  cluster: Cluster,
  groupId: string,
): Promise<Map<string, Map<number, bigint>>> {
  return retrying(async () => {
    const [conn] = await coordinatorConn(cluster, groupId);
    const v = Math.min(conn.version(API.OFFSET_FETCH), 7);
    const res = await conn.send<OffsetFetchResponse>(
      API.OFFSET_FETCH,
      { groupId, topics: null, requireStable: false },
      Math.max(v, 2),
    );
    if ((res.errorCode ?? 0) !== 0) throw new KafkaCodeError(res.errorCode ?? -1);
    const out = new Map<string, Map<number, bigint>>();
    for (const t of res.topics ?? [])
      for (const p of t.partitions) {
        if (p.errorCode !== 0 || p.committedOffset < 0n) continue;
        if (!out.has(t.name)) out.set(t.name, new Map());
        out.get(t.name)?.set(p.partitionIndex, p.committedOffset);
      }
    return out;
  });
}

/** OffsetCommit as an admin (generation -1, no member): only an Empty or unknown group accepts it. */
export async function commitOffsets(
  cluster: Cluster,
  groupId: string,
  offsets: { topic: string; partition: number; offset: bigint }[],
): Promise<void> {
  await retrying(async () => {
    const [conn] = await coordinatorConn(cluster, groupId);
    const v = Math.min(conn.version(API.OFFSET_COMMIT), 8);
    const topics = [...new Set(offsets.map((o) => o.topic))].map((name) => ({
      name,
      partitions: offsets
        .filter((o) => o.topic === name)
        .map((o) => ({
          partitionIndex: o.partition,
          committedOffset: o.offset,
          committedLeaderEpoch: -1,
          committedMetadata: '',
        })),
    }));
    const res = await conn.send<OffsetCommitResponse>(
      API.OFFSET_COMMIT,
      {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics,
      },
      v,
    );
    for (const t of res.topics)
      for (const p of t.partitions)
        if (p.errorCode !== 0) throw new KafkaCodeError(p.errorCode, null, `${t.name}-${p.partitionIndex}`);
  });
}

/** DeleteGroups, one request per coordinator; the error code per group (0 = deleted). */
export async function deleteGroups(cluster: Cluster, groupIds: string[]): Promise<Map<string, number>> {
  const results = new Map<string, number>();
  for (const groupId of groupIds) {
    const [conn] = await coordinatorConn(cluster, groupId);
    const res = await conn.send<DeleteGroupsResponse>(API.DELETE_GROUPS, { groupsNames: [groupId] });
    for (const r of res.results) results.set(r.groupId, r.errorCode);
  }
  return results;
}
