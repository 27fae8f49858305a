import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { kafkaErrorType, ServiceError } from '../errors';
import { getKafka, withAdmin } from '../kafka';

/** Prefix of the throwaway groups the console reads with; each is deleted when its read ends. */
export const BROWSE_GROUP_PREFIX = 'kafka-console-browse-';

export interface ReadRange {
  partition: number;
  /** First offset to read. */
  from: bigint;
  /** Offset to stop before (a high watermark seen when the read was planned). */
  to: bigint;
}

export interface ReadMessage {
  partition: number;
  message: KafkaMessage;
}

// Long enough for a group join on Apache Kafka, whose group.initial.rebalance.delay.ms is 3 s.
const READ_DEADLINE_MS = 15_000;

/**
 * Reads [from, to) of the given partitions of `topic`. kafkajs can only consume inside a group, so
 * the read joins a fresh group, seeks, never commits, and deletes the group afterwards: browsing
 * leaves nothing behind in ListGroups.
 */
export async function readRanges(
  topic: string,
  allPartitions: number[],
  ranges: ReadRange[],
): Promise<ReadMessage[]> {
  const wanted = new Map(ranges.filter((r) => r.from < r.to).map((r) => [r.partition, r]));
  if (wanted.size === 0) return [];
  const groupId = `${BROWSE_GROUP_PREFIX}${randomUUID()}`;
  const consumer = getKafka().consumer({
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: 16 * 1024 * 1024,
    retry: { retries: 1, restartOnFailure: async () => false },
  });
  const position = new Map([...wanted.values()].map((r) => [r.partition, r.from]));
  const collected = new Map<string, ReadMessage>();
  let progressed = false;
  let settle!: (err?: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    settle = (err) => (err === undefined ? resolve() : reject(err));
  });
  // A crash after the read is over must not surface as an unhandled rejection.
  finished.catch(() => undefined);
  const advance = (partition: number, lastOffset: string) => {
    const r = wanted.get(partition);
    if (!r) return;
    progressed = true;
    const next = BigInt(lastOffset) + 1n;
    if (next > position.get(partition)!) position.set(partition, next);
    if ([...wanted.values()].every((w) => position.get(w.partition)! >= w.to)) settle();
  };
  // END_BATCH_PROCESS also reports batches of only control records or aborted data, which eachBatch
  // never sees: without it a transactional partition would never reach its high watermark.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic === topic && payload.lastOffset != null) advance(payload.partition, payload.lastOffset);
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => settle(payload.error));
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const r = wanted.get(batch.partition);
        if (!r) return;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset >= r.from && offset < r.to)
            collected.set(`${batch.partition}:${offset}`, { partition: batch.partition, message });
        }
      },
    });
    const others = allPartitions.filter((p) => !wanted.has(p));
    if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
    for (const r of wanted.values())
      consumer.seek({ topic, partition: r.partition, offset: r.from.toString() });
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, READ_DEADLINE_MS)));
    await Promise.race([finished, deadline]);
    // A read that never got a single batch (no join, no leader) says so instead of "no messages".
    if (!progressed) {
      throw new ServiceError(
        'REQUEST_TIMED_OUT',
        `No records could be read from '${topic}' within ${READ_DEADLINE_MS} ms`,
        504,
      );
    }
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await deleteBrowseGroup(groupId);
  }
  return [...collected.values()];
}

/**
 * Deletes a throwaway group. The coordinator may still be processing the LeaveGroup of the
 * disconnect (NON_EMPTY_GROUP for a moment); a group that never formed is GROUP_ID_NOT_FOUND.
 */
async function deleteBrowseGroup(groupId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((admin) => admin.deleteGroups([groupId]));
      return;
    } catch (err) {
      const type = kafkaErrorType(err);
      if (type === 'GROUP_ID_NOT_FOUND') return;
      if (attempt >= 10) {
        console.warn(`[console] could not delete the browse group ${groupId}: ${String(err)}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
