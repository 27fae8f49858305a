/**
 * The log layer's contract with the rest of the broker. A topic's effective LogConfig is the broker
 * defaults overridden by the topic's configs (topic-config.ts computes it, with Kafka's names).
 */
export interface LogConfig {
  segmentBytes: number;
  segmentMs: number;
  segmentIndexBytes: number;
  indexIntervalBytes: number;
  /** -1 = unlimited */
  retentionMs: number;
  /** -1 = unlimited */
  retentionBytes: number;
  cleanupPolicy: ('delete' | 'compact')[];
  deleteRetentionMs: number;
  minCompactionLagMs: number;
  maxCompactionLagMs: number;
  minCleanableDirtyRatio: number;
  maxMessageBytes: number;
  messageTimestampType: 'CreateTime' | 'LogAppendTime';
  messageTimestampBeforeMaxMs: number;
  messageTimestampAfterMaxMs: number;
  minInsyncReplicas: number;
  /** Kafka's compression.type for the topic: 'producer' keeps what the client sent. */
  compressionType: string;
  /** fsync after this many messages (Long.MAX_VALUE by default = leave it to the OS). */
  flushMessages: number;
  flushMs: number;
  fileDeleteDelayMs: number;
  preallocate: boolean;
}

export interface LogDirPartition {
  topic: string;
  partition: number;
  sizeBytes: number;
}

export interface LogDirDescription {
  dir: string;
  totalBytes: number;
  usableBytes: number;
  partitions: LogDirPartition[];
}
