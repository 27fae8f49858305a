/**
 * The group coordinator of this node: membership (membership.ts), committed offsets (offset-store.ts)
 * and their persistence in __consumer_offsets, which it creates on first use (offsets.topic.num.partitions,
 * compacted) and replays on start-up, so groups, generations, assignments and offsets survive restarts.
 */
import { createTopic } from '../controller/topic-lifecycle';
import type { BrokerContext } from '../node-context';
import {
  ControlRecordType,
  decodeBatches,
  isControl,
  isTransactional,
  readControlRecordType,
} from '../protocol/records';
import { Group } from './group';
import { Membership } from './membership';
import { OffsetStore, type OffsetEntry } from './offset-store';
import {
  decodeGroupValue,
  decodeKey,
  decodeOffsetValue,
  encodeGroupKey,
  encodeGroupValue,
  encodeOffsetKey,
  encodeOffsetValue,
  OFFSETS_TOPIC,
  partitionForGroup,
} from './offsets-topic';

const OFFSETS_TOPIC_CONFIGS = {
  'cleanup.policy': 'compact',
  'compression.type': 'producer',
  'segment.bytes': '104857600',
};

export class GroupCoordinator {
  readonly membership: Membership;
  readonly offsets: OffsetStore;
  private readonly expiry: NodeJS.Timeout;
  /** TxnOffsetCommit offsets waiting for their transaction's marker: producer id -> group -> offsets. */
  private readonly pendingTxnOffsets = new Map<bigint, Map<string, OffsetEntry[]>>();
  /** While replaying: transactional offset records per producer, until their marker. */
  private readonly replayPending = new Map<bigint, { key: Buffer; value: Buffer | null }[]>();

  constructor(private readonly broker: BrokerContext) {
    const c = broker.config;
    this.offsets = new OffsetStore((groupId, records) => this.persist(groupId, records));
    this.membership = new Membership(
      {
        minSessionTimeoutMs: c.groupMinSessionTimeoutMs,
        maxSessionTimeoutMs: c.groupMaxSessionTimeoutMs,
        initialRebalanceDelayMs: c.groupInitialRebalanceDelayMs,
        maxGroupSize: c.groupMaxSize,
      },
      { onGroupChanged: (g) => this.persistGroup(g) },
    );
    this.load();
    // offsets.retention.check.interval.ms is 10 minutes in Kafka.
    this.expiry = setInterval(() => this.expireOffsets(Date.now()), 600_000);
    this.expiry.unref();
  }

  close(): void {
    this.membership.close();
    clearInterval(this.expiry);
  }

  get partitions(): number {
    return (
      this.broker.metadata.topic(OFFSETS_TOPIC)?.partitions.length ??
      this.broker.config.offsetsTopicNumPartitions
    );
  }

  /** Creates __consumer_offsets if missing; false if it cannot be placed (too few brokers). */
  ensureOffsetsTopic(): boolean {
    if (this.broker.metadata.topic(OFFSETS_TOPIC)) return true;
    const { config, metadata } = this.broker;
    const rf = Math.min(config.offsetsTopicReplicationFactor, metadata.liveBrokerIds().length);
    if (rf < 1) return false;
    createTopic(this.broker, OFFSETS_TOPIC, config.offsetsTopicNumPartitions, rf, OFFSETS_TOPIC_CONFIGS);
    return true;
  }

  /** The partition of __consumer_offsets that holds a group, and its current state. */
  partitionState(groupId: string) {
    return this.broker.metadata.topic(OFFSETS_TOPIC)?.partitions[partitionForGroup(groupId, this.partitions)];
  }

  private persist(groupId: string, records: { key: Buffer; value: Buffer | null }[]): void {
    this.ensureOffsetsTopic();
    this.broker.replicas.appendInternal(OFFSETS_TOPIC, partitionForGroup(groupId, this.partitions), records);
  }

  persistGroup(g: Group): void {
    const value =
      g.state === 'Dead'
        ? null
        : encodeGroupValue({
            protocolType: g.protocolType ?? '',
            generationId: g.generationId,
            protocolName: g.protocolName,
            leaderId: g.leaderId,
            stateTimestamp: BigInt(g.stateTimestamp),
            members: [...g.members.values()].map((m) => ({
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId,
              clientId: m.clientId,
              clientHost: m.clientHost,
              rebalanceTimeoutMs: m.rebalanceTimeoutMs,
              sessionTimeoutMs: m.sessionTimeoutMs,
              subscription: g.metadataOf(m),
              assignment: m.assignment,
            })),
          });
    this.persist(g.groupId, [{ key: encodeGroupKey(g.groupId), value }]);
  }

  /** Replays __consumer_offsets: offsets, then each group's last generation with its members. */
  private load(): void {
    const now = Date.now();
    for (const log of this.broker.logs.partitionsOf(OFFSETS_TOPIC)) {
      for (let offset = log.logStartOffset; offset < log.highWatermark;) {
        const { records, nextOffset } = log.read(offset, 1 << 20, log.highWatermark, true);
        if (!records || nextOffset <= offset) break;
        for (const batch of decodeBatches(records)) this.applyBatch(batch, now);
        offset = nextOffset;
      }
    }
    // Transactions still open at the end of the log keep their offsets pending for their marker.
    for (const [producerId, recs] of this.replayPending) {
      for (const r of recs) {
        const k = decodeKey(r.key);
        if (k?.kind !== 'offset' || !r.value) continue;
        this.holdTxnOffsets(producerId, k.group, [
          { ...decodeOffsetValue(r.value), topic: k.topic, partition: k.partition },
        ]);
      }
    }
    this.replayPending.clear();
  }

  /**
   * Transactional offset commits are replayed like Kafka's: held per producer until the producer's
   * commit marker (applied) or abort marker (dropped) in the same partition.
   */
  private applyBatch(batch: ReturnType<typeof decodeBatches>[number], now: number): void {
    const { header, records } = batch;
    if (isControl(header.attributes)) {
      const type = readControlRecordType(records[0]?.key ?? null);
      const pending = this.replayPending.get(header.producerId) ?? [];
      if (type === ControlRecordType.Commit) for (const r of pending) this.applyRecord(r.key, r.value, now);
      this.replayPending.delete(header.producerId);
      return;
    }
    if (isTransactional(header.attributes)) {
      const list = this.replayPending.get(header.producerId) ?? [];
      for (const r of records) if (r.key) list.push({ key: r.key, value: r.value });
      this.replayPending.set(header.producerId, list);
      return;
    }
    for (const r of records) if (r.key) this.applyRecord(r.key, r.value, now);
  }

  private applyRecord(key: Buffer, value: Buffer | null, now: number): void {
    const k = decodeKey(key);
    if (!k) return;
    if (k.kind === 'offset') {
      this.offsets.apply(k.group, k.topic, k.partition, value ? decodeOffsetValue(value) : null);
      return;
    }
    if (!value) {
      this.membership.groups.delete(k.group);
      return;
    }
    const stored = decodeGroupValue(value);
    const g = new Group(k.group);
    g.generationId = stored.generationId;
    g.protocolType = stored.protocolType || null;
    g.protocolName = stored.protocolName;
    g.leaderId = stored.leaderId;
    for (const m of stored.members) {
      g.members.set(m.memberId, {
        ...m,
        protocolType: stored.protocolType,
        protocols: [{ name: stored.protocolName ?? '', metadata: m.subscription }],
        deadline: now + m.sessionTimeoutMs,
      });
      if (m.groupInstanceId) g.staticMembers.set(m.groupInstanceId, m.memberId);
    }
    g.transition(g.members.size > 0 ? 'Stable' : 'Empty');
    this.membership.groups.set(k.group, g);
  }

  /**
   * TxnOffsetCommit: the offsets are written now as a transactional batch of the producer (so they
   * survive a restart) and become the group's committed offsets when the commit marker arrives.
   */
  addTxnOffsets(producerId: bigint, producerEpoch: number, groupId: string, entries: OffsetEntry[]): void {
    this.ensureOffsetsTopic();
    this.broker.replicas.appendInternal(
      OFFSETS_TOPIC,
      partitionForGroup(groupId, this.partitions),
      entries.map((e) => ({
        key: encodeOffsetKey(groupId, e.topic, e.partition),
        value: encodeOffsetValue(e),
      })),
      { producerId, producerEpoch },
    );
    this.holdTxnOffsets(producerId, groupId, entries);
  }

  private holdTxnOffsets(producerId: bigint, groupId: string, entries: OffsetEntry[]): void {
    let byGroup = this.pendingTxnOffsets.get(producerId);
    if (!byGroup) this.pendingTxnOffsets.set(producerId, (byGroup = new Map()));
    byGroup.set(groupId, [...(byGroup.get(groupId) ?? []), ...entries]);
  }

  /**
   * The transaction marker for `producerId` reached __consumer_offsets partition `partition`: its
   * pending offsets for groups in that partition become committed (commit) or are dropped (abort).
   */
  completeTxnOffsets(producerId: bigint, partition: number, commit: boolean): void {
    const byGroup = this.pendingTxnOffsets.get(producerId);
    if (!byGroup) return;
    for (const [groupId, entries] of byGroup) {
      if (partitionForGroup(groupId, this.partitions) !== partition) continue;
      // The records are already in the log; the marker written next makes them committed.
      if (commit) for (const e of entries) this.offsets.apply(groupId, e.topic, e.partition, e);
      byGroup.delete(groupId);
    }
    if (byGroup.size === 0) this.pendingTxnOffsets.delete(producerId);
  }

  /** OffsetFetch requireStable (KIP-447): is a transactional commit for this group still open? */
  hasPendingTxnOffsets(groupId: string): boolean {
    for (const byGroup of this.pendingTxnOffsets.values()) if (byGroup.has(groupId)) return true;
    return false;
  }

  /** Kafka 2.1+ (KIP-211): offsets of an empty group expire offsets.retention.minutes after its last commit. */
  expireOffsets(now: number): number {
    const retentionMs = this.broker.config.offsetsRetentionMinutes * 60_000;
    return this.offsets.expire((groupId, newest) => {
      const g = this.membership.groups.get(groupId);
      const empty = !g || g.state === 'Empty';
      return empty && now - Number(newest) > retentionMs;
    });
  }

  /** DeleteGroups: only empty (or offset-only) groups; writes tombstones for the group and its offsets. */
  deleteGroup(groupId: string): 'ok' | 'not-found' | 'non-empty' {
    const g = this.membership.groups.get(groupId);
    if (!g && !this.offsets.hasOffsets(groupId)) return 'not-found';
    if (g && g.state !== 'Empty' && g.state !== 'Dead') return 'non-empty';
    this.offsets.delete(groupId);
    if (g) {
      g.transition('Dead');
      this.persistGroup(g);
      this.membership.groups.delete(groupId);
    }
    return 'ok';
  }

  /** Every group this coordinator knows, including offset-only ("simple") groups, which are Empty. */
  allGroupIds(): string[] {
    return [...new Set([...this.membership.groups.keys(), ...this.offsets.groups()])];
  }

  stateOf(groupId: string): { state: string; protocolType: string } {
    const g = this.membership.groups.get(groupId);
    if (g) return { state: g.state, protocolType: g.protocolType ?? '' };
    return { state: this.offsets.hasOffsets(groupId) ? 'Empty' : 'Dead', protocolType: '' };
  }
}
