/**
 * The records of __consumer_offsets, in Kafka's own on-disk schemas (group-coordinator's
 * OffsetCommitKey v1 / OffsetCommitValue v3, GroupMetadataKey v2 / GroupMetadataValue v3), so the topic
 * reads the same as Kafka's. A group's partition is abs(groupId.hashCode()) % partitions, with Java's
 * String.hashCode, as Kafka computes it.
 */
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';

export const OFFSETS_TOPIC = '__consumer_offsets';

export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export function partitionForGroup(groupId: string, partitions: number): number {
  const h = javaStringHashCode(groupId);
  return (h === -2147483648 ? 0 : Math.abs(h)) % partitions;
}

export interface OffsetKey {
  kind: 'offset';
  group: string;
  topic: string;
  partition: number;
}
export interface GroupKey {
  kind: 'group';
  group: string;
}

export interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: bigint;
}

export interface StoredMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  subscription: Buffer;
  assignment: Buffer;
}

export interface StoredGroup {
  protocolType: string;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  stateTimestamp: bigint;
  members: StoredMember[];
}

export function encodeOffsetKey(group: string, topic: string, partition: number): Buffer {
  return new Writer(64).int16(1).string(group).string(topic).int32(partition).toBuffer();
}

export function encodeGroupKey(group: string): Buffer {
  return new Writer(64).int16(2).string(group).toBuffer();
}

export function decodeKey(b: Buffer): OffsetKey | GroupKey | null {
  const r = new Reader(b);
  const version = r.int16();
  if (version === 0 || version === 1)
    return { kind: 'offset', group: r.string(), topic: r.string(), partition: r.int32() };
  if (version === 2) return { kind: 'group', group: r.string() };
  return null; // a newer record type (e.g. KIP-848 consumer groups): not ours to read
}

export function encodeOffsetValue(v: CommittedOffset): Buffer {
  return new Writer(64)
    .int16(3)
    .int64(v.offset)
    .int32(v.leaderEpoch)
    .string(v.metadata)
    .int64(v.commitTimestamp)
    .toBuffer();
}

export function decodeOffsetValue(b: Buffer): CommittedOffset {
  const r = new Reader(b);
  const version = r.int16();
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = r.string();
  const commitTimestamp = r.int64();
  return { offset, leaderEpoch, metadata, commitTimestamp };
}

export function encodeGroupValue(g: StoredGroup): Buffer {
  const w = new Writer(256).int16(3).string(g.protocolType).int32(g.generationId);
  w.nullableString(g.protocolName).nullableString(g.leaderId).int64(g.stateTimestamp).int32(g.members.length);
  for (const m of g.members) {
    w.string(m.memberId).nullableString(m.groupInstanceId).string(m.clientId).string(m.clientHost);
    w.int32(m.rebalanceTimeoutMs).int32(m.sessionTimeoutMs).bytes(m.subscription).bytes(m.assignment);
  }
  return w.toBuffer();
}

export function decodeGroupValue(b: Buffer): StoredGroup {
  const r = new Reader(b);
  const version = r.int16();
  const protocolType = r.string();
  const generationId = r.int32();
  const protocolName = r.nullableString();
  const leaderId = r.nullableString();
  const stateTimestamp = version >= 2 ? r.int64() : -1n;
  const members: StoredMember[] = [];
  for (let n = r.arrayLength(); n > 0; n--) {
    const memberId = r.string();
    const groupInstanceId = version >= 3 ? r.nullableString() : null;
    const clientId = r.string();
    const clientHost = r.string();
    const rebalanceTimeout = version >= 1 ? r.int32() : -1;
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = rebalanceTimeout >= 0 ? rebalanceTimeout : sessionTimeoutMs;
    const subscription = r.bytes();
    const assignment = r.bytes();
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      rebalanceTimeoutMs,
      sessionTimeoutMs,
      subscription,
      assignment,
    });
  }
  return { protocolType, generationId, protocolName, leaderId, stateTimestamp, members };
}
