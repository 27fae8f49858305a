/**
 * The classic group membership protocol (KIP-62 heartbeats, KIP-394 member ids, KIP-345 static
 * membership), after Kafka's GroupCoordinator: JoinGroup waits until every known member has rejoined
 * or the rebalance timeout passes, then answers all of them at once (the leader gets the member list);
 * SyncGroup waits for the leader's assignment; heartbeats keep sessions alive and tell members to
 * rejoin while a rebalance is in progress. One timer sweeps deadlines for all groups.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/generated/errors';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/generated/join-group';
import type { SyncGroupRequest, SyncGroupResponse } from '../protocol/generated/sync-group';
import { Group, type Member } from './group';

export interface MembershipConfig {
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  initialRebalanceDelayMs: number;
  maxGroupSize: number;
}

export interface MembershipHooks {
  /** Called when a generation's assignment is settled (or the group empties) so it can be persisted. */
  onGroupChanged(group: Group): void;
}

const EMPTY = Buffer.alloc(0);
const joinError = (errorCode: number, memberId = ''): JoinGroupResponse => ({
  errorCode,
  generationId: -1,
  protocolName: null,
  protocolType: null,
  leader: '',
  memberId,
  members: [],
});
const syncError = (errorCode: number): SyncGroupResponse => ({ errorCode, assignment: EMPTY });

export class Membership {
  readonly groups = new Map<string, Group>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly config: MembershipConfig,
    private readonly hooks: MembershipHooks,
  ) {
    this.sweeper = setInterval(() => this.sweep(Date.now()), 100);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  getOrCreate(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) this.groups.set(groupId, (g = new Group(groupId)));
    return g;
  }

  join(
    req: JoinGroupRequest,
    version: number,
    clientId: string,
    clientHost: string,
  ): Promise<JoinGroupResponse> | JoinGroupResponse {
    const { groupId, memberId, sessionTimeoutMs } = req;
    if (!groupId) return joinError(ErrorCode.INVALID_GROUP_ID, memberId);
    if (
      sessionTimeoutMs < this.config.minSessionTimeoutMs ||
      sessionTimeoutMs > this.config.maxSessionTimeoutMs
    )
      return joinError(ErrorCode.INVALID_SESSION_TIMEOUT, memberId);
    const existing = this.groups.get(groupId);
    if (!existing && memberId) return joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId);
    const group = existing ?? this.getOrCreate(groupId);
    if (group.state === 'Dead') return joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId);
    const names = req.protocols.map((p) => p.name);
    if (!group.supportsProtocols(req.protocolType, names))
      return joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId);
    const instanceId = req.groupInstanceId ?? null;
    if (!this.acceptJoiningMember(group, memberId)) {
      group.pendingMembers.delete(memberId);
      if (group.members.has(memberId)) this.removeAndRebalance(group, memberId);
      else this.tryCompleteJoin(group);
      return joinError(ErrorCode.GROUP_MAX_SIZE_REACHED);
    }

    if (!memberId) {
      const newId = `${clientId}-${randomUUID()}`;
      if (instanceId) return this.joinStatic(group, req, newId, clientId, clientHost);
      if (version >= 4) {
        group.pendingMembers.set(newId, Date.now() + sessionTimeoutMs);
        return joinError(ErrorCode.MEMBER_ID_REQUIRED, newId);
      }
      return this.addMemberAndRebalance(group, req, newId, clientId, clientHost);
    }
    if (group.pendingMembers.delete(memberId))
      return this.addMemberAndRebalance(group, req, memberId, clientId, clientHost);
    const err = group.memberError(memberId, instanceId);
    if (err !== null) return joinError(err, memberId);
    return this.rejoin(group, group.members.get(memberId)!, req);
  }

  /**
   * Kafka's acceptJoiningMember (group.max.size, KIP-389): members already in the group stay; new ones
   * (member ids handed out by MEMBER_ID_REQUIRED included) fit while there is room. While
   * PreparingRebalance the members that have already (re)joined are what count, so when the group
   * would overflow it is the last to rejoin that is refused and removed.
   */
  private acceptJoiningMember(group: Group, memberId: string): boolean {
    const max = this.config.maxGroupSize;
    if (group.state === 'Empty' || group.state === 'Dead') return true;
    if (group.state === 'PreparingRebalance') {
      if (group.members.get(memberId)?.joinWaiter) return true;
      let awaiting = 0;
      for (const m of group.members.values()) if (m.joinWaiter) awaiting++;
      return awaiting < max;
    }
    return group.members.has(memberId) || group.size < max;
  }

  private rejoin(
    group: Group,
    member: Member,
    req: JoinGroupRequest,
  ): Promise<JoinGroupResponse> | JoinGroupResponse {
    const sameProtocols =
      member.protocols.length === req.protocols.length &&
      member.protocols.every(
        (p, i) => p.name === req.protocols[i].name && p.metadata.equals(req.protocols[i].metadata),
      );
    if (group.state === 'CompletingRebalance' && sameProtocols)
      return this.currentJoinResponse(group, member);
    if (group.state === 'Stable' && sameProtocols && !group.isLeader(member.memberId))
      return this.currentJoinResponse(group, member);
    this.updateMember(member, req);
    const wait = this.awaitJoin(member);
    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group);
    this.tryCompleteJoin(group);
    return wait;
  }

  /** KIP-345: a known group.instance.id gets a new member id in place of the old one, no rebalance if stable. */
  private joinStatic(
    group: Group,
    req: JoinGroupRequest,
    newId: string,
    clientId: string,
    clientHost: string,
  ) {
    const instanceId = req.groupInstanceId!;
    const oldId = group.staticMembers.get(instanceId);
    const old = oldId ? group.members.get(oldId) : undefined;
    if (!old) return this.addMemberAndRebalance(group, req, newId, clientId, clientHost);
    old.syncWaiter?.(syncError(ErrorCode.FENCED_INSTANCE_ID));
    old.joinWaiter?.(joinError(ErrorCode.FENCED_INSTANCE_ID, oldId));
    group.members.delete(old.memberId);
    const member: Member = {
      ...old,
      memberId: newId,
      clientId,
      clientHost,
      joinWaiter: undefined,
      syncWaiter: undefined,
    };
    this.updateMember(member, req);
    group.members.set(newId, member);
    group.staticMembers.set(instanceId, newId);
    if (group.leaderId === oldId) group.leaderId = newId;
    if (group.state === 'Stable') {
      this.hooks.onGroupChanged(group);
      return this.currentJoinResponse(group, member);
    }
    const wait = this.awaitJoin(member);
    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group);
    this.tryCompleteJoin(group);
    return wait;
  }

  private addMemberAndRebalance(
    group: Group,
    req: JoinGroupRequest,
    memberId: string,
    clientId: string,
    clientHost: string,
  ) {
    const member: Member = {
      memberId,
      groupInstanceId: req.groupInstanceId ?? null,
      clientId,
      clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs ?? req.sessionTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: [],
      assignment: EMPTY,
      deadline: 0,
    };
    this.updateMember(member, req);
    if (group.members.size === 0) group.protocolType = req.protocolType;
    group.members.set(memberId, member);
    if (member.groupInstanceId) group.staticMembers.set(member.groupInstanceId, memberId);
    if (!group.leaderId) group.leaderId = memberId;
    const wait = this.awaitJoin(member);
    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group);
    else if (group.initialDelayUntil > 0) {
      // A new member during the initial delay extends it, up to the rebalance timeout.
      group.initialDelayUntil = Math.min(
        Date.now() + this.config.initialRebalanceDelayMs,
        group.joinDeadline,
      );
    }
    this.tryCompleteJoin(group);
    return wait;
  }

  private updateMember(member: Member, req: JoinGroupRequest): void {
    member.protocols = req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs ?? req.sessionTimeoutMs;
    member.deadline = Date.now() + member.sessionTimeoutMs;
  }

  private awaitJoin(member: Member): Promise<JoinGroupResponse> {
    member.joinWaiter?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
    return new Promise((resolve) => (member.joinWaiter = resolve));
  }

  private currentJoinResponse(group: Group, member: Member): JoinGroupResponse {
    member.deadline = Date.now() + member.sessionTimeoutMs;
    return this.joinResponse(group, member);
  }

  private joinResponse(group: Group, member: Member): JoinGroupResponse {
    const leader = group.isLeader(member.memberId);
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId: member.memberId,
      members: leader
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            metadata: group.metadataOf(m),
          }))
        : [],
    };
  }

  prepareRebalance(group: Group): void {
    if (group.state === 'CompletingRebalance') {
      for (const m of group.members.values()) {
        m.assignment = EMPTY;
        m.syncWaiter?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        m.syncWaiter = undefined;
      }
    }
    const now = Date.now();
    group.joinDeadline = now + group.maxRebalanceTimeoutMs();
    group.initialDelayUntil =
      group.state === 'Empty' && this.config.initialRebalanceDelayMs > 0
        ? Math.min(now + this.config.initialRebalanceDelayMs, group.joinDeadline)
        : 0;
    group.transition('PreparingRebalance');
  }

  private tryCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || group.initialDelayUntil > 0) return;
    if (group.allMembersJoined()) this.completeJoin(group);
  }

  private completeJoin(group: Group): void {
    for (const m of [...group.members.values()]) if (!m.joinWaiter) group.removeMember(m.memberId);
    group.pendingMembers.clear();
    group.generationId++;
    group.initialDelayUntil = 0;
    if (group.members.size === 0) {
      group.protocolName = null;
      group.leaderId = null;
      group.transition('Empty');
      this.hooks.onGroupChanged(group);
      return;
    }
    group.protocolName = group.selectProtocol();
    if (!group.leaderId || !group.members.has(group.leaderId))
      group.leaderId = group.members.keys().next().value!;
    group.transition('CompletingRebalance');
    const now = Date.now();
    for (const m of group.members.values()) {
      const resolve = m.joinWaiter!;
      m.joinWaiter = undefined;
      m.deadline = now + m.sessionTimeoutMs;
      resolve(this.joinResponse(group, m));
    }
  }

  sync(req: SyncGroupRequest): Promise<SyncGroupResponse> | SyncGroupResponse {
    const group = this.groups.get(req.groupId);
    if (!group) return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    const err = group.memberError(req.memberId, req.groupInstanceId ?? null);
    if (err !== null) return syncError(err);
    const member = group.members.get(req.memberId)!;
    if (req.generationId !== group.generationId) return syncError(ErrorCode.ILLEGAL_GENERATION);
    if (
      (req.protocolType && req.protocolType !== group.protocolType) ||
      (req.protocolName && req.protocolName !== group.protocolName)
    )
      return syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    member.deadline = Date.now() + member.sessionTimeoutMs;
    const ok = (assignment: Buffer): SyncGroupResponse => ({
      errorCode: ErrorCode.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment,
    });
    if (group.state === 'Stable') return ok(member.assignment);
    if (group.state !== 'CompletingRebalance') return syncError(ErrorCode.REBALANCE_IN_PROGRESS);
    const wait = new Promise<SyncGroupResponse>((resolve) => (member.syncWaiter = resolve));
    if (group.isLeader(member.memberId)) {
      const given = new Map(req.assignments.map((a) => [a.memberId, Buffer.from(a.assignment)]));
      for (const m of group.members.values()) m.assignment = given.get(m.memberId) ?? EMPTY;
      group.transition('Stable');
      this.hooks.onGroupChanged(group);
      for (const m of group.members.values()) {
        m.syncWaiter?.(ok(m.assignment));
        m.syncWaiter = undefined;
      }
    }
    return wait;
  }

  heartbeat(groupId: string, memberId: string, generationId: number, groupInstanceId: string | null): number {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const err = group.memberError(memberId, groupInstanceId);
    if (err !== null) return err;
    const member = group.members.get(memberId)!;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    member.deadline = Date.now() + member.sessionTimeoutMs;
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** Removes one member (LeaveGroup or session expiry) and rebalances the rest. */
  leave(groupId: string, memberId: string, groupInstanceId: string | null): number {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    // KIP-345: an admin may remove a static member by its group.instance.id alone.
    const id = memberId || (groupInstanceId ? group.staticMembers.get(groupInstanceId) : undefined);
    if (!id) return ErrorCode.UNKNOWN_MEMBER_ID;
    // A member id handed out with MEMBER_ID_REQUIRED that never joined: forget it, as Kafka does.
    if (group.pendingMembers.delete(id)) {
      this.tryCompleteJoin(group);
      return ErrorCode.NONE;
    }
    const err = group.memberError(id, groupInstanceId);
    if (err !== null) return err;
    this.removeAndRebalance(group, id);
    return ErrorCode.NONE;
  }

  private removeAndRebalance(group: Group, memberId: string): void {
    const m = group.removeMember(memberId);
    m?.joinWaiter?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    m?.syncWaiter?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group);
    this.tryCompleteJoin(group);
  }

  private sweep(now: number): void {
    for (const group of this.groups.values()) {
      let pendingExpired = false;
      for (const [id, deadline] of group.pendingMembers)
        if (deadline <= now) pendingExpired = group.pendingMembers.delete(id);
      if (pendingExpired) this.tryCompleteJoin(group);
      // Members waiting for their JoinGroup or SyncGroup answer are not expired (Kafka's
      // MemberMetadata.hasSatisfiedHeartbeat): the wait is the coordinator's, not theirs.
      for (const m of [...group.members.values()]) {
        if (!m.joinWaiter && !m.syncWaiter && m.deadline <= now) this.removeAndRebalance(group, m.memberId);
      }
      if (group.state !== 'PreparingRebalance') continue;
      if (group.initialDelayUntil > 0 && group.initialDelayUntil <= now) {
        group.initialDelayUntil = 0;
        this.tryCompleteJoin(group);
      }
      if (group.state === 'PreparingRebalance' && group.joinDeadline <= now) this.completeJoin(group);
    }
  }
}
