/**
 * A classic consumer group's state (Kafka's GroupMetadata): members with their protocols, the
 * generation, the chosen protocol and leader, and the state machine
 * Empty -> PreparingRebalance -> CompletingRebalance -> Stable (-> Dead when deleted).
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { JoinGroupResponse } from '../protocol/generated/join-group';
import type { SyncGroupResponse } from '../protocol/generated/sync-group';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface MemberProtocol {
  name: string;
  metadata: Buffer;
}

export interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
  assignment: Buffer;
  /** When the session expires unless a heartbeat (or join/sync) arrives. */
  deadline: number;
  joinWaiter?: (r: JoinGroupResponse) => void;
  syncWaiter?: (r: SyncGroupResponse) => void;
}

export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED (KIP-394), until they join or time out. */
  readonly pendingMembers = new Map<string, number>();
  /** Static membership (KIP-345): group.instance.id -> member id. */
  readonly staticMembers = new Map<string, string>();
  /** When a rebalance in PreparingRebalance completes even if members are missing. */
  joinDeadline = 0;
  /** Set while the initial-rebalance delay (group.initial.rebalance.delay.ms) runs. */
  initialDelayUntil = 0;
  stateTimestamp = Date.now();

  constructor(readonly groupId: string) {}

  transition(to: GroupState): void {
    this.state = to;
    this.stateTimestamp = Date.now();
  }

  get size(): number {
    return this.members.size;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /**
   * Kafka's ClassicGroup.validateMember: a request naming a group.instance.id must carry that
   * instance's current member id (FENCED_INSTANCE_ID when another one holds it; UNKNOWN_MEMBER_ID
   * when no member does, e.g. after its session expired, so the client rejoins instead of failing);
   * without one, the member id must be known.
   */
  memberError(memberId: string, groupInstanceId: string | null): number | null {
    if (groupInstanceId) {
      const current = this.staticMembers.get(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      return current === memberId ? null : ErrorCode.FENCED_INSTANCE_ID;
    }
    return this.members.has(memberId) ? null : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  /** A joining member must share the protocol type and at least one protocol with every member. */
  supportsProtocols(protocolType: string, names: readonly string[]): boolean {
    if (this.members.size === 0) return protocolType.length > 0 && names.length > 0;
    if (protocolType !== this.protocolType) return false;
    return this.candidateProtocols().some((p) => names.includes(p));
  }

  private candidateProtocols(): string[] {
    const all = [...this.members.values()];
    return all[0].protocols
      .map((p) => p.name)
      .filter((n) => all.every((m) => m.protocols.some((p) => p.name === n)));
  }

  /** Each member votes for its most preferred protocol among those all members support. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => candidates.includes(p.name))!.name;
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = candidates[0];
    for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
    return best;
  }

  metadataOf(member: Member): Buffer {
    return member.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0);
  }

  allMembersJoined(): boolean {
    if (this.pendingMembers.size > 0) return false;
    for (const m of this.members.values()) if (!m.joinWaiter) return false;
    return true;
  }

  maxRebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  removeMember(memberId: string): Member | undefined {
    const m = this.members.get(memberId);
    if (!m) return undefined;
    this.members.delete(memberId);
    if (m.groupInstanceId) this.staticMembers.delete(m.groupInstanceId);
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    return m;
  }
}
