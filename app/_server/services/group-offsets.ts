import { ServiceError, invalidArgument } from '../errors';
import { getKafka, withAdmin } from '../kafka';
import type { ResetOffsetsBody, ResetOffsetsResponse } from '../schemas/groups';
import { committedOffsets } from './groups';
import { topicMetadata, topicWatermarks, type Watermarks } from './shared';
import { unknownPartitions } from './topic-admin';

const COMMIT_DEADLINE_MS = 15_000;

/**
 * Commits offsets for an inactive group. Kafka accepts OffsetCommit only from a member of the
 * group's current generation (or, for an empty group, from the admin API's OffsetCommit with
 * generation -1, which kafkajs lacks), so a consumer joins the group, seeks (kafkajs commits a seek
 * with autoCommit on) and leaves, as kafkajs' admin.setOffsets does. Unlike setOffsets, the paused
 * consumer's fetch loop waits 100 ms rather than the 5 s default before the seeks are applied.
 */
async function commitAsGroup(
  groupId: string,
  topic: string,
  offsets: { partition: number; offset: string }[],
): Promise<void> {
  const consumer = getKafka().consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    retry: { retries: 1, restartOnFailure: async () => false },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    // Seeks are applied (committed) at the start of a fetch round; FETCH fires at its end.
    const committed = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      timer = setTimeout(
        () => reject(new ServiceError('REQUEST_TIMED_OUT', `Could not join group '${groupId}' in time`, 504)),
        COMMIT_DEADLINE_MS,
      );
    });
    committed.catch(() => undefined); // a failure before the await below is still reported by it
    await consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined });
    consumer.pause([{ topic }]);
    for (const o of offsets) consumer.seek({ topic, ...o });
    await committed;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

function clamp(offset: bigint, wm: Watermarks): bigint {
  return offset < wm.low ? wm.low : offset > wm.high ? wm.high : offset;
}

/**
 * Moves a group's committed offsets on one topic, as kafka-consumer-groups.sh --reset-offsets does:
 * only for an inactive group, targets outside [log start, high watermark] are clamped to it, and
 * --shift-by needs a committed offset to shift from. dryRun computes without committing.
 */
export async function resetOffsets(groupId: string, body: ResetOffsetsBody): Promise<ResetOffsetsResponse> {
  return withAdmin(async (admin) => {
    const meta = await topicMetadata(admin, body.topic);
    const { groups } = await admin.describeGroups([groupId]);
    const active = groups.find((g) => g.groupId === groupId)?.members.length ?? 0;
    if (active > 0) {
      throw new ServiceError(
        'NON_EMPTY_GROUP',
        `Consumer group '${groupId}' has ${active} active member(s); stop them before resetting offsets`,
        409,
      );
    }
    const all = meta.partitions.map((p) => p.partitionId).sort((a, b) => a - b);
    const chosen = body.partitions ?? all;
    const unknown = chosen.filter((p) => !all.includes(p));
    if (unknown.length > 0) throw unknownPartitions(body.topic, unknown, all.length, 'partitions');

    const [wm, committed] = await Promise.all([
      topicWatermarks(admin, body.topic),
      committedOffsets(admin, groupId),
    ]);
    const previous = committed.get(body.topic) ?? new Map<number, bigint>();
    const byTime =
      body.to === 'timestamp'
        ? new Map(
            (await admin.fetchTopicOffsetsByTimestamp(body.topic, Number(body.value))).map((o) => [
              o.partition,
              BigInt(o.offset),
            ]),
          )
        : undefined;

    const offsets = chosen.map((partition) => {
      const w = wm.get(partition) ?? { low: 0n, high: 0n };
      const prev = previous.get(partition);
      let next: bigint;
      switch (body.to) {
        case 'earliest':
          next = w.low;
          break;
        case 'latest':
          next = w.high;
          break;
        case 'offset':
          next = body.value!;
          break;
        case 'timestamp':
          // No record at or after the time: the end of the log, as ListOffsets' -1 means.
          next = byTime?.get(partition) ?? w.high;
          break;
        case 'shift':
          if (prev === undefined) {
            throw invalidArgument(
              `Cannot shift partition ${partition}: group '${groupId}' has no committed offset for it`,
              'value',
            );
          }
          next = prev + body.value!;
          break;
      }
      return { partition, previous: prev, next: clamp(next, w) };
    });

    if (!body.dryRun && offsets.length > 0) {
      await commitAsGroup(
        groupId,
        body.topic,
        offsets.map((o) => ({ partition: o.partition, offset: o.next.toString() })),
      );
    }
    return {
      offsets: offsets.map((o) => ({
        partition: o.partition,
        previous: o.previous === undefined ? null : o.previous.toString(),
        next: o.next.toString(),
      })),
    };
  });
}
