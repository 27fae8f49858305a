/**
 * Leader-side partition access for the data-plane handlers: finds the local log of a partition this
 * node leads, appends to it and keeps the high watermark. The high watermark is the smallest log end
 * offset across the ISR (design docs, "Replication"); while this node is the only ISR member that is
 * its own log end offset. Follower fetchers and ISR changes arrive with multi-node replication (B4).
 */
import type { MetadataImage, PartitionState, TopicState } from '../controller/metadata-image';
import type { LogManager } from '../log/log-manager';
import type { AppendResult, PartitionLog, ValidatedBatch } from '../log/partition-log';
import { ErrorCode } from '../protocol/generated/errors';

export type LeaderLookup =
  | { ok: true; topic: TopicState; state: PartitionState; log: PartitionLog }
  | { ok: false; errorCode: number };

export class ReplicaManager {
  constructor(
    private readonly nodeId: number,
    private readonly metadata: MetadataImage,
    readonly logs: LogManager,
  ) {}

  /** The log of a partition this node leads, or Kafka's error for why it cannot serve it. */
  leaderLog(topic: TopicState | undefined, partition: number, currentLeaderEpoch = -1): LeaderLookup {
    if (!topic) return { ok: false, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    const state = topic.partitions[partition];
    if (!state) return { ok: false, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    if (currentLeaderEpoch >= 0 && currentLeaderEpoch < state.leaderEpoch)
      return { ok: false, errorCode: ErrorCode.FENCED_LEADER_EPOCH };
    if (currentLeaderEpoch > state.leaderEpoch)
      return { ok: false, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH };
    if (state.leader !== this.nodeId) return { ok: false, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
    const log = this.logs.get(topic.name, partition);
    if (!log) return { ok: false, errorCode: ErrorCode.KAFKA_STORAGE_ERROR };
    return { ok: true, topic, state, log };
  }

  lookup(name: string, partition: number, currentLeaderEpoch = -1): LeaderLookup {
    return this.leaderLog(this.metadata.topic(name), partition, currentLeaderEpoch);
  }

  appendAsLeader(
    found: Extract<LeaderLookup, { ok: true }>,
    records: Buffer,
    batches: readonly ValidatedBatch[],
  ): AppendResult {
    const result = found.log.appendAsLeader(records, batches);
    this.maybeAdvanceHighWatermark(found.state, found.log);
    return result;
  }

  private maybeAdvanceHighWatermark(state: PartitionState, log: PartitionLog): void {
    if (state.isr.every((id) => id === this.nodeId) && log.highWatermark < log.logEndOffset) {
      log.highWatermark = log.logEndOffset;
    }
  }
}
