import { ConfigResourceTypes, type Admin, type ITopicMetadata } from 'kafkajs';
import { ServiceError, toServiceError } from '../errors';
import { withAdmin } from '../kafka';
import type {
  CreateTopicBody,
  TopicDetail,
  TopicListItem,
  TopicListQuery,
  TopicListResponse,
} from '../schemas/topics';
import { groupsReadingTopic } from './groups';
import { describeTopicConfigs } from './topic-admin';
import { isInternalTopic, topicMetadata, topicWatermarks, watermarksOf } from './shared';

function summarize(t: ITopicMetadata): TopicListItem {
  return {
    name: t.name,
    // kafkajs speaks Metadata up to v6; topic ids arrived in v10 (KIP-516).
    topicId: null,
    internal: isInternalTopic(t.name),
    partitions: t.partitions.length,
    replicationFactor: Math.max(0, ...t.partitions.map((p) => p.replicas.length)),
    underReplicated: t.partitions.filter((p) => p.isr.length < p.replicas.length).length,
    messages: 0,
  };
}

// A topic whose offsets cannot be read (no leader) counts 0 messages rather than failing the page.
async function fillMessages(admin: Admin, rows: TopicListItem[], known: ReadonlySet<string>): Promise<void> {
  const wm = await watermarksOf(
    admin,
    rows.map((r) => r.name),
    known,
  );
  for (const row of rows) {
    let sum = 0n;
    for (const { low, high } of wm.get(row.name)?.values() ?? []) sum += high - low;
    row.messages = Number(sum);
  }
}

function compareBy(sort: TopicListQuery['sort']): (a: TopicListItem, b: TopicListItem) => number {
  if (sort === 'name') return (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return (a, b) => a[sort] - b[sort];
}

/**
 * One page of topics, filtered, sorted and paged on the server. Messages are counted (two
 * ListOffsets per topic) only for the page, unless the sort needs them for every topic.
 */
export async function listTopics(q: TopicListQuery): Promise<TopicListResponse> {
  return withAdmin(async (admin) => {
    const { topics } = await admin.fetchTopicMetadata();
    const known = new Set(topics.map((t) => t.name));
    const needle = q.search?.toLowerCase();
    const rows = topics
      .filter((t) => q.internal || !isInternalTopic(t.name))
      .filter((t) => needle === undefined || t.name.toLowerCase().includes(needle))
      .map(summarize);
    if (q.sort === 'messages') await fillMessages(admin, rows, known);
    const cmp = compareBy(q.sort);
    const byName = compareBy('name');
    const dir = q.order === 'desc' ? -1 : 1;
    rows.sort((a, b) => dir * cmp(a, b) || byName(a, b));
    const start = (q.page - 1) * q.pageSize;
    const items = rows.slice(start, start + q.pageSize);
    if (q.sort !== 'messages') await fillMessages(admin, items, known);
    return { items, total: rows.length, page: q.page, pageSize: q.pageSize };
  });
}

const CREATE_ERROR_FIELDS: Record<string, string> = {
  TOPIC_ALREADY_EXISTS: 'name',
  INVALID_TOPIC_EXCEPTION: 'name',
  INVALID_PARTITIONS: 'partitions',
  INVALID_REPLICATION_FACTOR: 'replicationFactor',
  INVALID_REPLICA_ASSIGNMENT: 'replicationFactor',
  INVALID_CONFIG: 'configs',
};

/** num.partitions and default.replication.factor of a broker: what Kafka itself would use (KIP-464). */
async function brokerDefaults(admin: Admin): Promise<{ partitions: number; replicationFactor: number }> {
  const { brokers, controller } = await admin.describeCluster();
  const nodeId = controller ?? brokers[0]?.nodeId;
  const fallback = { partitions: 1, replicationFactor: Math.min(3, Math.max(1, brokers.length)) };
  if (nodeId === undefined) return fallback;
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: ConfigResourceTypes.BROKER,
          name: String(nodeId),
          configNames: ['num.partitions', 'default.replication.factor'],
        },
      ],
    });
    const value = (name: string, dflt: number) => {
      const raw = resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
      const n = Number(raw);
      return raw && Number.isInteger(n) && n > 0 ? n : dflt;
    };
    return {
      partitions: value('num.partitions', fallback.partitions),
      replicationFactor: value('default.replication.factor', fallback.replicationFactor),
    };
  } catch {
    return fallback;
  }
}

/**
 * CreateTopics through kafkajs, which speaks v0-3: those versions cannot ask the broker for its
 * defaults (-1 came with v4), so missing counts are read from the broker's configs first.
 */
export async function createTopic(body: CreateTopicBody): Promise<{ name: string }> {
  try {
    return await withAdmin(async (admin) => {
      let { partitions, replicationFactor } = body;
      if (partitions === undefined || replicationFactor === undefined) {
        const defaults = await brokerDefaults(admin);
        partitions ??= defaults.partitions;
        replicationFactor ??= defaults.replicationFactor;
      }
      const created = await admin.createTopics({
        validateOnly: body.validateOnly ?? false,
        waitForLeaders: !body.validateOnly,
        timeout: 10_000,
        topics: [
          {
            topic: body.name,
            numPartitions: partitions,
            replicationFactor,
            configEntries: Object.entries(body.configs ?? {}).map(([name, value]) => ({ name, value })),
          },
        ],
      });
      // kafkajs reports TOPIC_ALREADY_EXISTS as `false` instead of an error.
      if (!created)
        throw new ServiceError('TOPIC_ALREADY_EXISTS', `Topic '${body.name}' already exists`, 409);
      return { name: body.name };
    });
  } catch (err) {
    const e = toServiceError(err);
    const field = e.field ?? CREATE_ERROR_FIELDS[e.code];
    throw field === undefined ? e : new ServiceError(e.code, e.message, e.status, { cause: err, field });
  }
}

/** Partitions with leaders, replicas, ISR and offsets; configs; and the groups committed on the topic. */
export async function getTopic(name: string): Promise<TopicDetail> {
  return withAdmin(async (admin) => {
    const meta = await topicMetadata(admin, name);
    const wm = await topicWatermarks(admin, name);
    const [configs, groups] = await Promise.all([
      describeTopicConfigs(admin, name),
      groupsReadingTopic(admin, name, wm),
    ]);
    const partitions = [...meta.partitions]
      .sort((a, b) => a.partitionId - b.partitionId)
      .map((p) => ({
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas ?? [],
        // The first replica is the preferred leader (Kafka's preferred replica election).
        preferredLeader: p.replicas[0] ?? -1,
        underReplicated: p.isr.length < p.replicas.length,
        earliestOffset: (wm.get(p.partitionId)?.low ?? 0n).toString(),
        latestOffset: (wm.get(p.partitionId)?.high ?? 0n).toString(),
      }));
    return { name, topicId: null, internal: isInternalTopic(name), partitions, configs, groups };
  });
}

export async function deleteTopic(name: string): Promise<void> {
  await withAdmin(async (admin) => {
    await topicMetadata(admin, name);
    await admin.deleteTopics({ topics: [name], timeout: 10_000 });
  });
}
