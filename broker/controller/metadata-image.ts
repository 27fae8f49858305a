/**
 * The cluster metadata a broker serves: registered brokers, topics with their ids, partitions, leaders,
 * replicas and ISR, and topic config overrides. On a single node it is persisted as an atomically
 * replaced snapshot file in the metadata log dir (the first of log.dirs), the role Kafka's
 * __cluster_metadata log plays; the multi-node controller (B4) replicates it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTERNAL_TOPICS, unifyCollisionChars } from './topic-names';

export interface BrokerRegistration {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
  fenced: boolean;
}

export interface PartitionState {
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicState {
  name: string;
  topicId: string;
  partitions: PartitionState[];
  configs: Record<string, string>;
}

interface Snapshot {
  version: 1;
  topics: TopicState[];
  /** The first producer id not yet handed out (KIP-730 allocates them in blocks). */
  nextProducerId?: string;
}

export const SNAPSHOT_FILE = 'cluster-metadata.json';

export function newUuid(): string {
  // Kafka never hands out the zero uuid or ids whose base64 starts with '-' (Uuid.randomUuid).
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA') return id;
  }
}

export class MetadataImage {
  readonly brokers = new Map<number, BrokerRegistration>();
  private readonly topics = new Map<string, TopicState>();
  private readonly byId = new Map<string, TopicState>();
  private nextProducerId = 0n;

  constructor(
    readonly clusterId: string,
    public controllerId: number,
    private readonly dir: string | null,
  ) {
    if (dir) this.load();
  }

  topic(name: string): TopicState | undefined {
    return this.topics.get(name);
  }
  topicById(id: string): TopicState | undefined {
    return this.byId.get(id);
  }
  allTopics(): IterableIterator<TopicState> {
    return this.topics.values();
  }
  isInternal(name: string): boolean {
    return INTERNAL_TOPICS.has(name);
  }

  /** The existing topic whose name collides with `name` on '.' vs '_', if any. */
  collidingTopic(name: string): string | undefined {
    const key = unifyCollisionChars(name);
    for (const t of this.topics.keys()) if (t !== name && unifyCollisionChars(t) === key) return t;
    return undefined;
  }

  /**
   * Adds a topic. Without explicit assignments, replicas go round-robin over the live brokers from a
   * random start (as Kafka's placement does), leader = first replica.
   */
  createTopic(
    name: string,
    numPartitions: number,
    replicationFactor: number,
    configs: Record<string, string> = {},
    assignments?: number[][],
  ): TopicState {
    const live = this.liveBrokerIds();
    const count = assignments?.length ?? numPartitions;
    if (!assignments && replicationFactor > live.length)
      throw new RangeError(`replication factor ${replicationFactor} > ${live.length} brokers`);
    const start = live.length ? Math.floor(Math.random() * live.length) : 0;
    const partitions: PartitionState[] = [];
    for (let p = 0; p < count; p++) {
      const replicas =
        assignments?.[p] ??
        Array.from({ length: replicationFactor }, (_, i) => live[(start + p + i) % live.length]);
      partitions.push({
        partition: p,
        leader: replicas[0],
        leaderEpoch: 0,
        replicas,
        isr: [...replicas],
        offlineReplicas: [],
      });
    }
    const topic: TopicState = { name, topicId: newUuid(), partitions, configs };
    this.topics.set(name, topic);
    this.byId.set(topic.topicId, topic);
    this.save();
    return topic;
  }

  /** Removes a topic; returns it, or undefined if it did not exist. */
  deleteTopic(name: string): TopicState | undefined {
    const t = this.topics.get(name);
    if (!t) return undefined;
    this.topics.delete(name);
    this.byId.delete(t.topicId);
    this.save();
    return t;
  }

  /** Grows a topic to `total` partitions (never shrinks), placing new replicas like createTopic. */
  addPartitions(name: string, total: number, assignments?: number[][]): PartitionState[] {
    const t = this.topics.get(name);
    if (!t) throw new RangeError(`unknown topic ${name}`);
    const rf = t.partitions[0]?.replicas.length ?? 1;
    const live = this.liveBrokerIds();
    const added: PartitionState[] = [];
    for (let p = t.partitions.length, i = 0; p < total; p++, i++) {
      const replicas = assignments?.[i] ?? Array.from({ length: rf }, (_, k) => live[(p + k) % live.length]);
      added.push({
        partition: p,
        leader: replicas[0],
        leaderEpoch: 0,
        replicas,
        isr: [...replicas],
        offlineReplicas: [],
      });
    }
    t.partitions.push(...added);
    this.save();
    return added;
  }

  /** Replaces a topic's config overrides (keys absent fall back to the broker defaults). */
  setTopicConfigs(name: string, configs: Record<string, string>): void {
    const t = this.topics.get(name);
    if (!t) throw new RangeError(`unknown topic ${name}`);
    t.configs = { ...configs };
    this.save();
  }

  /** Reserves `size` producer ids and persists the reservation, so ids are never reused after a restart. */
  allocateProducerIds(size: number): bigint {
    const start = this.nextProducerId;
    this.nextProducerId += BigInt(size);
    this.save();
    return start;
  }

  liveBrokerIds(): number[] {
    return [...this.brokers.values()]
      .filter((b) => !b.fenced)
      .map((b) => b.nodeId)
      .sort((a, b) => a - b);
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(join(this.dir!, SNAPSHOT_FILE), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const snap = JSON.parse(text) as Snapshot;
    this.nextProducerId = BigInt(snap.nextProducerId ?? '0');
    for (const t of snap.topics) {
      this.topics.set(t.name, t);
      this.byId.set(t.topicId, t);
    }
  }

  private save(): void {
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    const snap: Snapshot = {
      version: 1,
      topics: [...this.topics.values()],
      nextProducerId: this.nextProducerId.toString(),
    };
    const tmp = join(this.dir, `${SNAPSHOT_FILE}.tmp`);
    writeFileSync(tmp, JSON.stringify(snap, null, 1));
    renameSync(tmp, join(this.dir, SNAPSHOT_FILE));
  }
}
