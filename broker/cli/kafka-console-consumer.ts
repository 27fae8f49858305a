/**
 * kafka-console-consumer: prints records with the kafkajs consumer in a consumer group (the one given,
 * or a throwaway console-consumer-NNNNN group with auto-commit off, as Kafka does). --partition pins
 * the one member of that throwaway group to a single partition with an assigner, since kafkajs has no
 * group-less assign(). Offsets committed are exactly the records printed, so a group that stops after
 * --max-messages resumes at the next record. Exits on --max-messages, --timeout-ms without records,
 * Ctrl-C or SIGTERM, printing "Processed a total of N messages" to stderr like Kafka.
 */
import { AssignerProtocol, type Consumer, type PartitionAssigner } from 'kafkajs';
import type { ParsedArgs } from './args';
import { listTopics } from './admin';
import { Cluster, parseBootstrap, type HostPort } from './cluster';
import { consumerOptions, SPEC, type ConsumerOptions } from './console-consumer-options';
import { CliError, oneLine } from './errors';
import { deleteGroups } from './groups-admin';
import { kafkaClient } from './kafka';
import { MessageFormatter } from './message-formatter';
import { err } from './output';
import { runTool } from './run';
import { IncludeList, INTERNAL_TOPICS } from './topic-filter';

const JOIN_GRACE_MS = 60_000;

/** Gives the group's members only `partition` of `topic` (used for --partition, one member). */
function singlePartitionAssigner(topic: string, partition: number): PartitionAssigner {
  return () => ({
    name: 'ConsoleConsumerPartition',
    version: 0,
    async assign({ members }) {
      return members.map((m, i) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: i === 0 ? { [topic]: [partition] } : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: 'ConsoleConsumerPartition',
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
      };
    },
  });
}

/** The topics to subscribe to; for --include, polls until one matches (as a pattern subscription waits). */
async function resolveTopics(
  cluster: Cluster,
  o: ConsumerOptions,
  stopped: () => boolean,
): Promise<string[]> {
  if (o.topic !== undefined) {
    if (o.partition !== undefined) {
      const t = (await listTopics(cluster)).find((x) => x.name === o.topic);
      if (t && !t.partitions.some((p) => p.partition === o.partition))
        throw new CliError(
          `Topic ${o.topic} has no partition ${o.partition} (it has ${t.partitions.length})`,
        );
    }
    return [o.topic];
  }
  const filter = new IncludeList(o.include ?? '');
  for (;;) {
    const names = (await listTopics(cluster))
      .filter((t) => !t.isInternal && !INTERNAL_TOPICS.has(t.name) && filter.matches(t.name))
      .map((t) => t.name);
    if (names.length || stopped()) return names;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/**
 * Kafka's coordinator forgets an Empty group that has no offsets; the throwaway group committed none,
 * so deleting it leaves the cluster as Kafka would (best effort: a cluster may already have dropped it).
 */
async function dropThrowawayGroup(servers: HostPort[], groupId: string): Promise<void> {
  const attempt = (async () => {
    const cluster = await Cluster.connect(servers);
    try {
      await deleteGroups(cluster, [groupId]);
    } finally {
      cluster.close();
    }
  })().catch(() => {});
  await Promise.race([attempt, new Promise((r) => setTimeout(r, 3_000))]);
}

async function execute(args: ParsedArgs): Promise<number> {
  const o = consumerOptions(args);
  const servers = parseBootstrap(args.str('bootstrap-server'));
  const formatter = new MessageFormatter(o.formatterProps);
  let count = 0;
  let finished = false;
  let failure: Error | null = null;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = () => {
      finished = true;
      resolve();
    };
  });
  let idle: NodeJS.Timeout | undefined;
  /**
   * --timeout-ms counts from when the consumer has its partitions (and from each record); joining the
   * group may take longer (group.initial.rebalance.delay.ms), so until then the limit is a minute more.
   */
  const armTimeout = (extra = 0) => {
    if (o.timeoutMs === undefined) return;
    clearTimeout(idle);
    idle = setTimeout(finish, o.timeoutMs + extra);
  };
  process.once('SIGINT', finish);
  process.once('SIGTERM', finish);
  armTimeout(JOIN_GRACE_MS);

  const cluster = await Cluster.connect(servers);
  let topics: string[];
  try {
    topics = await resolveTopics(cluster, o, () => finished);
  } finally {
    cluster.close();
  }
  if (finished || topics.length === 0) {
    err(`Processed a total of ${count} messages`);
    return 0;
  }

  const consumer: Consumer = kafkaClient(servers, o.clientId).consumer({
    groupId: o.groupId,
    allowAutoTopicCreation: true,
    readUncommitted: o.readUncommitted,
    maxWaitTimeInMs: 500,
    sessionTimeout: o.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: o.heartbeatIntervalMs ?? 3_000,
    partitionAssigners:
      o.partition !== undefined ? [singlePartitionAssigner(topics[0], o.partition)] : undefined,
    retry: { retries: 3, restartOnFailure: async () => false },
  });
  consumer.on(consumer.events.GROUP_JOIN, () => armTimeout());
  consumer.on(consumer.events.CRASH, (e) => {
    failure = e.payload.error;
    finish();
  });
  /** Last printed offset + 1 per partition: what the group commits at the end. */
  const positions = new Map<string, { topic: string; partition: number; offset: string }>();

  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: o.fromBeginning });
    await consumer.run({
      autoCommit: o.autoCommit,
      autoCommitInterval: o.autoCommitIntervalMs,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, isRunning, isStale }) => {
        for (const m of batch.messages) {
          if (finished || !isRunning() || isStale()) break;
          const context = (m as { batchContext?: { timestampType?: number } }).batchContext;
          const headers = Object.entries(m.headers ?? {}).flatMap(([k, v]) =>
            (Array.isArray(v) ? v : [v]).map((x): [string, Buffer | null] => [
              k,
              x === undefined || x === null ? null : Buffer.from(x),
            ]),
          );
          process.stdout.write(
            formatter.format({
              partition: batch.partition,
              offset: m.offset,
              timestamp: m.timestamp,
              timestampType: context?.timestampType ?? 0,
              key: m.key,
              value: m.value,
              headers,
            }),
          );
          resolveOffset(m.offset);
          positions.set(`${batch.topic}:${batch.partition}`, {
            topic: batch.topic,
            partition: batch.partition,
            offset: (BigInt(m.offset) + 1n).toString(),
          });
          count++;
          armTimeout();
          if (o.maxMessages !== undefined && count >= o.maxMessages) finish();
        }
        if (o.autoCommit && !finished) await commitOffsetsIfNecessary();
      },
    });
    if (typeof o.offset === 'bigint')
      consumer.seek({ topic: topics[0], partition: o.partition ?? 0, offset: o.offset.toString() });
    if (o.maxMessages === 0) finish();
    await done;
    clearTimeout(idle);
    if (o.autoCommit && positions.size > 0)
      await consumer.commitOffsets([...positions.values()]).catch((e: Error) => {
        err(`WARN Could not commit the final offsets of group ${o.groupId}: ${oneLine(e)}`);
      });
  } finally {
    clearTimeout(idle);
    await Promise.race([consumer.disconnect().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
  }
  if (!o.groupGiven) await dropThrowawayGroup(servers, o.groupId);
  err(`Processed a total of ${count} messages`);
  if (failure)
    throw new CliError(`Error processing message, terminating consumer process: ${oneLine(failure)}`);
  return 0;
}

export function main(argv: string[]): Promise<never> {
  return runTool(SPEC, argv, execute);
}
