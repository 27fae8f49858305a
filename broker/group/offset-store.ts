/**
 * Committed offsets per group, kept in memory and written through to __consumer_offsets (a commit is
 * acknowledged after its record is in the log). Tombstones (null values) delete, as log compaction
 * will. offsets.retention.minutes expires the offsets of groups that have been empty that long.
 */
import { encodeOffsetKey, encodeOffsetValue, type CommittedOffset } from './offsets-topic';

export type Persist = (groupId: string, records: { key: Buffer; value: Buffer | null }[]) => void;

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export interface OffsetEntry extends CommittedOffset {
  topic: string;
  partition: number;
}

export class OffsetStore {
  private readonly byGroup = new Map<string, Map<string, OffsetEntry>>();

  constructor(private readonly persist: Persist) {}

  get(groupId: string, topic: string, partition: number): OffsetEntry | undefined {
    return this.byGroup.get(groupId)?.get(tp(topic, partition));
  }

  entries(groupId: string): OffsetEntry[] {
    return [...(this.byGroup.get(groupId)?.values() ?? [])];
  }

  hasOffsets(groupId: string): boolean {
    return (this.byGroup.get(groupId)?.size ?? 0) > 0;
  }

  groups(): string[] {
    return [...this.byGroup.keys()];
  }

  commit(groupId: string, entries: readonly OffsetEntry[]): void {
    if (entries.length === 0) return;
    this.persist(
      groupId,
      entries.map((e) => ({
        key: encodeOffsetKey(groupId, e.topic, e.partition),
        value: encodeOffsetValue(e),
      })),
    );
    for (const e of entries) this.apply(groupId, e.topic, e.partition, e);
  }

  /** Deletes offsets (all of the group's when `which` is omitted), writing tombstones. */
  delete(groupId: string, which?: readonly { topic: string; partition: number }[]): void {
    const targets = which ?? this.entries(groupId);
    if (targets.length === 0) return;
    this.persist(
      groupId,
      targets.map((t) => ({ key: encodeOffsetKey(groupId, t.topic, t.partition), value: null })),
    );
    for (const t of targets) this.apply(groupId, t.topic, t.partition, null);
  }

  /** Applies one record, from a commit or while loading the log. */
  apply(groupId: string, topic: string, partition: number, value: CommittedOffset | null): void {
    let m = this.byGroup.get(groupId);
    if (value === null) {
      m?.delete(tp(topic, partition));
      if (m && m.size === 0) this.byGroup.delete(groupId);
      return;
    }
    if (!m) this.byGroup.set(groupId, (m = new Map()));
    m.set(tp(topic, partition), { ...value, topic, partition });
  }

  /** Expires the offsets of groups for which `expired(groupId)` holds; returns how many went. */
  expire(expired: (groupId: string, newestCommit: bigint) => boolean): number {
    let n = 0;
    for (const groupId of this.groups()) {
      const entries = this.entries(groupId);
      const newest = entries.reduce((max, e) => (e.commitTimestamp > max ? e.commitTimestamp : max), -1n);
      if (!expired(groupId, newest)) continue;
      this.delete(groupId);
      n += entries.length;
    }
    return n;
  }
}
