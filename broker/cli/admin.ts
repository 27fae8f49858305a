/**
 * Admin requests the tools send on the wire client, keeping what kafkajs drops: the broker's error
 * message per topic (CreateTopics v1+, DeleteTopics v5+, CreatePartitions), topic ids and internal
 * flags (Metadata v10+/v1+), config sources and synonyms (DescribeConfigs v1+), incremental config
 * changes (IncrementalAlterConfigs, KIP-339) and ELR (DescribeTopicPartitions, KIP-966).
 */
import type { CreatePartitionsResponse } from '../protocol/generated/create-partitions';
import type { CreateTopicsResponse } from '../protocol/generated/create-topics';
import type { DeleteTopicsResponse } from '../protocol/generated/delete-topics';
import type {
  DescribeConfigsResourceResult,
  DescribeConfigsResponse,
} from '../protocol/generated/describe-configs';
import type { DescribeTopicPartitionsResponse } from '../protocol/generated/describe-topic-partitions';
import type { IncrementalAlterConfigsResponse } from '../protocol/generated/incremental-alter-configs';
import type { ListOffsetsResponse } from '../protocol/generated/list-offsets';
import type { MetadataResponseTopic } from '../protocol/generated/metadata';
import { ZERO_UUID } from '../protocol/reader';
import type { Cluster } from './cluster';
import { CliError, KafkaCodeError } from './errors';
import { API } from './wire';

export const RESOURCE = { TOPIC: 2, BROKER: 4 } as const;
export const OP = { SET: 0, DELETE: 1 } as const;

/** DescribeConfigs config sources (ConfigEntry.ConfigSource), as ConfigCommand prints them. */
export const CONFIG_SOURCE: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'CLIENT_METRICS_CONFIG',
  8: 'GROUP_CONFIG',
};
const DEFAULT_CONFIG = 5;

const TIMEOUT_MS = 30_000;

export interface TopicInfo {
  name: string;
  topicId: string;
  isInternal: boolean;
  partitions: PartitionInfo[];
}

export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  /** null: the cluster cannot say (no DescribeTopicPartitions); Kafka prints "N/A". */
  elr: number[] | null;
  lastKnownElr: number[] | null;
}

function toTopicInfo(t: MetadataResponseTopic): TopicInfo {
  return {
    name: t.name ?? '',
    topicId: t.topicId ?? ZERO_UUID,
    isInternal: t.isInternal ?? false,
    partitions: t.partitions
      .map((p) => ({
        partition: p.partitionIndex,
        leader: p.leaderId,
        replicas: p.replicaNodes,
        isr: p.isrNodes,
        elr: null,
        lastKnownElr: null,
      }))
      .sort((a, b) => a.partition - b.partition),
  };
}

/** Every topic the cluster has (Metadata with a null topic list), with partitions. */
export async function listTopics(cluster: Cluster): Promise<TopicInfo[]> {
  const res = await cluster.metadata(null);
  return res.topics.filter((t) => t.errorCode === 0 && t.name).map(toTopicInfo);
}

/** Adds ELR lists when the cluster serves DescribeTopicPartitions (Kafka 3.7+). */
export async function addElr(cluster: Cluster, topics: TopicInfo[]): Promise<void> {
  const conn = cluster.bootstrap;
  if (!conn.supports(API.DESCRIBE_TOPIC_PARTITIONS) || topics.length === 0) return;
  const byName = new Map(topics.map((t) => [t.name, t]));
  let cursor: { topicName: string; partitionIndex: number } | null = null;
  do {
    const res: DescribeTopicPartitionsResponse = await conn.send<DescribeTopicPartitionsResponse>(
      API.DESCRIBE_TOPIC_PARTITIONS,
      { topics: topics.map((t) => ({ name: t.name })), responsePartitionLimit: 2000, cursor },
    );
    for (const t of res.topics) {
      const info = byName.get(t.name ?? '');
      if (!info || t.errorCode !== 0) continue;
      for (const p of t.partitions) {
        const target = info.partitions.find((x) => x.partition === p.partitionIndex);
        if (!target) continue;
        target.elr = p.eligibleLeaderReplicas ?? [];
        target.lastKnownElr = p.lastKnownElr ?? [];
      }
    }
    cursor = res.nextCursor ?? null;
  } while (cursor);
}

export interface NewTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: { name: string; value: string }[];
}

/** CreateTopics for one topic; throws KafkaCodeError (with the broker's message) on failure. */
export async function createTopic(cluster: Cluster, topic: NewTopic): Promise<void> {
  const conn = await cluster.controller();
  const res = await conn.send<CreateTopicsResponse>(API.CREATE_TOPICS, {
    topics: [topic],
    timeoutMs: TIMEOUT_MS,
    validateOnly: false,
  });
  for (const r of res.topics)
    if (r.errorCode !== 0) throw new KafkaCodeError(r.errorCode, r.errorMessage, r.name);
}

export async function deleteTopics(cluster: Cluster, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const conn = await cluster.controller();
  const v = conn.version(API.DELETE_TOPICS);
  const body =
    v >= 6
      ? { topics: names.map((name) => ({ name, topicId: ZERO_UUID })), timeoutMs: TIMEOUT_MS }
      : { topicNames: names, timeoutMs: TIMEOUT_MS };
  const res = await conn.send<DeleteTopicsResponse>(API.DELETE_TOPICS, body, v);
  for (const r of res.responses)
    if (r.errorCode !== 0) throw new KafkaCodeError(r.errorCode, r.errorMessage, r.name ?? undefined);
}

export async function createPartitions(
  cluster: Cluster,
  topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[],
): Promise<void> {
  if (topics.length === 0) return;
  const conn = await cluster.controller();
  const res = await conn.send<CreatePartitionsResponse>(API.CREATE_PARTITIONS, {
    topics,
    timeoutMs: TIMEOUT_MS,
    validateOnly: false,
  });
  for (const r of res.results)
    if (r.errorCode !== 0) throw new KafkaCodeError(r.errorCode, r.errorMessage, r.name);
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  source: number;
  isDefault: boolean;
  isSensitive: boolean;
  readOnly: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
}

function toEntry(c: DescribeConfigsResourceResult): ConfigEntry {
  const source = c.configSource ?? (c.isDefault ? DEFAULT_CONFIG : 0);
  return {
    name: c.name,
    value: c.value,
    source,
    isDefault: source === DEFAULT_CONFIG || (c.configSource === undefined && c.isDefault === true),
    isSensitive: c.isSensitive,
    readOnly: c.readOnly,
    synonyms: (c.synonyms ?? []).map((s) => ({ name: s.name, value: s.value, source: s.source })),
  };
}

/**
 * DescribeConfigs for resources of one type. Broker resources go to that broker (each broker
 * answers for itself); topics go to any broker.
 */
export async function describeConfigs(
  cluster: Cluster,
  resourceType: number,
  names: string[],
  includeSynonyms: boolean,
): Promise<Map<string, ConfigEntry[]>> {
  const result = new Map<string, ConfigEntry[]>();
  const groups =
    resourceType === RESOURCE.BROKER && names.length > 0
      ? names.map((n) => ({
          conn: /^\d+$/.test(n) ? cluster.node(Number(n)) : cluster.controller(),
          names: [n],
        }))
      : [{ conn: Promise.resolve(cluster.bootstrap), names }];
  for (const g of groups) {
    if (g.names.length === 0) continue;
    const conn = await g.conn;
    const res = await conn.send<DescribeConfigsResponse>(API.DESCRIBE_CONFIGS, {
      resources: g.names.map((resourceName) => ({ resourceType, resourceName, configurationKeys: null })),
      includeSynonyms,
      includeDocumentation: false,
    });
    for (const r of res.results) {
      if (r.errorCode !== 0) throw new KafkaCodeError(r.errorCode, r.errorMessage, r.resourceName);
      result.set(r.resourceName, r.configs.map(toEntry));
    }
  }
  return result;
}

export async function incrementalAlterConfigs(
  cluster: Cluster,
  resourceType: number,
  resourceName: string,
  ops: { name: string; configOperation: number; value: string | null }[],
): Promise<void> {
  const conn =
    resourceType === RESOURCE.BROKER && /^\d+$/.test(resourceName)
      ? await cluster.node(Number(resourceName))
      : await cluster.controller();
  const res = await conn.send<IncrementalAlterConfigsResponse>(API.INCREMENTAL_ALTER_CONFIGS, {
    resources: [{ resourceType, resourceName, configs: ops }],
    validateOnly: false,
  });
  for (const r of res.responses) if (r.errorCode !== 0) throw new KafkaCodeError(r.errorCode, r.errorMessage);
}

export interface OffsetQuery {
  topic: string;
  partition: number;
  leader: number;
}

/** ListOffsets result per "topic:partition": the offset (-1n when none) or a Kafka error code. */
export type OffsetResult = { offset: bigint; timestamp: bigint } | { errorCode: number };

/** The ListOffsets version that introduced each special timestamp (KIP-734, KIP-405). */
const LIST_OFFSETS_MIN_VERSION: Record<string, number> = { '-3': 7, '-4': 8, '-5': 9 };

/**
 * ListOffsets for `timestamp` (-1 latest, -2 earliest, -3 max-timestamp, or ms), sent to each
 * partition's leader, read_uncommitted like the admin client's default.
 */
export async function listOffsets(
  cluster: Cluster,
  queries: OffsetQuery[],
  timestamp: bigint,
): Promise<Map<string, OffsetResult>> {
  const results = new Map<string, OffsetResult>();
  const byLeader = new Map<number, OffsetQuery[]>();
  for (const q of queries) {
    if (q.leader < 0)
      results.set(`${q.topic}:${q.partition}`, { errorCode: 5 }); // LEADER_NOT_AVAILABLE
    else byLeader.set(q.leader, [...(byLeader.get(q.leader) ?? []), q]);
  }
  for (const [leader, parts] of byLeader) {
    const conn = await cluster.node(leader);
    const v = conn.version(API.LIST_OFFSETS);
    const need = LIST_OFFSETS_MIN_VERSION[String(timestamp)] ?? 1;
    if (v < need)
      throw new CliError(
        `The cluster does not support timestamp ${timestamp} in ListOffsets (v${need}+ needed)`,
      );
    const topics = [...new Set(parts.map((p) => p.topic))].map((name) => ({
      name,
      partitions: parts
        .filter((p) => p.topic === name)
        .map((p) => ({ partitionIndex: p.partition, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 })),
    }));
    const res = await conn.send<ListOffsetsResponse>(API.LIST_OFFSETS, {
      replicaId: -1,
      isolationLevel: 0,
      topics,
      timeoutMs: TIMEOUT_MS,
    });
    for (const t of res.topics)
      for (const p of t.partitions)
        results.set(
          `${t.name}:${p.partitionIndex}`,
          p.errorCode !== 0
            ? { errorCode: p.errorCode }
            : { offset: p.offset ?? p.oldStyleOffsets?.[0] ?? -1n, timestamp: p.timestamp ?? -1n },
        );
  }
  return results;
}

/** Partitions of `topics` with their leaders, from a listTopics() result. */
export function leaders(
  all: TopicInfo[],
  pick: (topic: string, partition: number) => boolean,
): OffsetQuery[] {
  return all.flatMap((t) =>
    t.partitions
      .filter((p) => pick(t.name, p.partition))
      .map((p) => ({ topic: t.name, partition: p.partition, leader: p.leader })),
  );
}
