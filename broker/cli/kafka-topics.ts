/**
 * kafka-topics: create, delete, describe, list, or add partitions to topics, over the Kafka protocol
 * (so it works on any cluster). Options, checks, messages and output follow Kafka 4.0's TopicCommand;
 * errors go to stderr with exit code 1.
 */
import {
  checkInvalid,
  checkRequired,
  exactlyOne,
  parseKeyValues,
  ZOOKEEPER_REMOVED,
  type ParsedArgs,
  type ToolSpec,
} from './args';
import {
  addElr,
  createPartitions,
  createTopic,
  deleteTopics,
  describeConfigs,
  listTopics,
  RESOURCE,
  type TopicInfo,
} from './admin';
import { Cluster, parseBootstrap } from './cluster';
import { CliError, KafkaCodeError, UsageError } from './errors';
import { out } from './output';
import { runTool } from './run';
import { selectTopics } from './topic-filter';
import { printDescription } from './topics-describe';

const CONFIGS_HINT = ' (To alter topic configurations, the kafka-configs tool can be used.)';
const ACTIONS = ['create', 'list', 'alter', 'describe', 'delete'];

export const SPEC: ToolSpec = {
  name: 'kafka-topics',
  summary: 'This tool helps to create, delete, describe, or change a topic.',
  removed: { zookeeper: ZOOKEEPER_REMOVED },
  options: [
    {
      name: 'bootstrap-server',
      kind: 'string',
      argName: 'server to connect to',
      describe: 'REQUIRED: The Kafka server to connect to.',
    },
    { name: 'list', kind: 'flag', describe: 'List all available topics.' },
    { name: 'create', kind: 'flag', describe: 'Create a new topic.' },
    { name: 'delete', kind: 'flag', describe: 'Delete a topic.' },
    {
      name: 'alter',
      kind: 'flag',
      describe: `Alter the number of partitions and replica assignment.${CONFIGS_HINT}`,
    },
    { name: 'describe', kind: 'flag', describe: 'List details for the given topics.' },
    {
      name: 'topic',
      kind: 'string',
      describe:
        'The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option.',
    },
    { name: 'topic-id', kind: 'string', describe: 'The topic-id to describe.' },
    {
      name: 'config',
      kind: 'string',
      multiple: true,
      argName: 'name=value',
      describe: `A topic configuration override for the topic being created. It is supported only in combination with --create.${CONFIGS_HINT}`,
    },
    {
      name: 'delete-config',
      kind: 'string',
      argName: 'name',
      describe: 'This option is no longer supported and has been deprecated since 4.0',
    },
    {
      name: 'partitions',
      kind: 'int',
      argName: '# of partitions',
      describe:
        'The number of partitions for the topic being created or altered. If not supplied with --create, the topic uses the cluster default.',
    },
    {
      name: 'replication-factor',
      kind: 'int',
      argName: 'replication factor',
      describe:
        'The replication factor for each partition in the topic being created. If not supplied, the topic uses the cluster default.',
    },
    {
      name: 'replica-assignment',
      kind: 'string',
      argName:
        'broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...',
      describe: 'A list of manual partition-to-broker assignments for the topic being created or altered.',
    },
    {
      name: 'under-replicated-partitions',
      kind: 'flag',
      describe: 'If set when describing topics, only show under-replicated partitions.',
    },
    {
      name: 'unavailable-partitions',
      kind: 'flag',
      describe: 'If set when describing topics, only show partitions whose leader is not available.',
    },
    {
      name: 'under-min-isr-partitions',
      kind: 'flag',
      describe:
        'If set when describing topics, only show partitions whose isr count is less than the configured minimum.',
    },
    {
      name: 'at-min-isr-partitions',
      kind: 'flag',
      describe:
        'If set when describing topics, only show partitions whose isr count is equal to the configured minimum.',
    },
    {
      name: 'topics-with-overrides',
      kind: 'flag',
      describe: 'If set when describing topics, only show topics that have overridden configs.',
    },
    {
      name: 'if-exists',
      kind: 'flag',
      describe:
        'If set when altering or deleting or describing topics, the action will only execute if the topic exists.',
    },
    {
      name: 'if-not-exists',
      kind: 'flag',
      describe:
        'If set when creating topics, the create request will not fail if the topic already exists, but the request will still be sent.',
    },
    {
      name: 'exclude-internal',
      kind: 'flag',
      describe:
        'Exclude internal topics when listing or describing topics. By default, the internal topics are included.',
    },
    {
      name: 'partition-size-limit-per-response',
      kind: 'int',
      argName: 'maximum number of partitions per response',
      describe: 'The maximum partition size to be included in one DescribeTopicPartitions response.',
    },
  ],
};

const REPORTS = [
  'under-replicated-partitions',
  'under-min-isr-partitions',
  'at-min-isr-partitions',
  'unavailable-partitions',
];

/** TopicCommandOptions.checkArgs. */
function checkArgs(args: ParsedArgs): string {
  const action = exactlyOne(
    args,
    ACTIONS,
    'Command must include exactly one action: --list, --describe, --create, --alter or --delete',
  );
  if (args.has('delete-config'))
    process.stderr.write(
      'delete-config option is no longer supported and deprecated since version 4.0. The config will be fully removed in future releases.\n',
    );
  if (!args.has('bootstrap-server')) throw new UsageError('--bootstrap-server must be specified');
  if (action !== 'list' && action !== 'describe') checkRequired(args, 'topic');
  if (action === 'alter') {
    checkInvalid(args, 'alter', ['config'], CONFIGS_HINT);
    checkRequired(args, 'partitions');
  }
  const others = (keep: string[]) => ACTIONS.filter((a) => !keep.includes(a));
  checkInvalid(args, 'config', others(['alter', 'create']));
  checkInvalid(args, 'partitions', others(['alter', 'create']));
  checkInvalid(args, 'replication-factor', others(['create']));
  checkInvalid(args, 'replica-assignment', others(['alter', 'create']));
  if (action === 'create') checkInvalid(args, 'replica-assignment', ['partitions', 'replication-factor']);
  for (const r of REPORTS) checkInvalid(args, r, [...others(['describe']), 'topics-with-overrides']);
  checkInvalid(args, 'topics-with-overrides', [...others(['describe']), ...REPORTS]);
  checkInvalid(args, 'if-exists', others(['alter', 'delete', 'describe']));
  checkInvalid(args, 'if-not-exists', others(['create']));
  checkInvalid(args, 'exclude-internal', others(['list', 'describe']));
  return action;
}

/** "0:1,1:2" -> one broker list per partition (TopicCommand.parseReplicaAssignment). */
function parseReplicaAssignment(text: string): number[][] {
  const lists = text.split(',').map((part) =>
    part.split(':').map((id) => {
      const n = Number(id.trim());
      if (!/^\s*\d+\s*$/.test(id))
        throw new UsageError(`Invalid broker id '${id.trim()}' in --replica-assignment`);
      return n;
    }),
  );
  lists.forEach((brokers, i) => {
    const dup = brokers.filter((b, j) => brokers.indexOf(b) !== j);
    if (dup.length)
      throw new CliError(`Partition replica lists may not contain duplicate entries: ${dup.join(',')}`);
    if (brokers.length !== lists[0].length)
      throw new CliError(`Partition ${i} has different replication factor: [${brokers.join(', ')}]`);
  });
  return lists;
}

async function create(cluster: Cluster, args: ParsedArgs): Promise<void> {
  const name = args.str('topic') ?? '';
  const rf = args.int('replication-factor');
  const partitions = args.int('partitions');
  if (rf !== undefined && (rf < 1 || rf > 32767))
    throw new UsageError('The replication factor must be between 1 and 32767 inclusive');
  if (partitions !== undefined && partitions < 1)
    throw new UsageError('The partitions must be greater than 0');
  const configs = parseKeyValues(args.strs('config'), 'topic config');
  const assignment = args.has('replica-assignment')
    ? parseReplicaAssignment(args.str('replica-assignment') ?? '')
    : [];
  if (/[._]/.test(name))
    out(
      "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.",
    );
  try {
    await createTopic(cluster, {
      name,
      numPartitions: assignment.length ? -1 : (partitions ?? -1),
      replicationFactor: assignment.length ? -1 : (rf ?? -1),
      assignments: assignment.map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
      configs,
    });
  } catch (e) {
    if (e instanceof KafkaCodeError && e.codeName === 'TOPIC_ALREADY_EXISTS' && args.has('if-not-exists'))
      return;
    throw e;
  }
  out(`Created topic ${name}.`);
}

function ensureExists(found: unknown[], requested: string | undefined, args: ParsedArgs): void {
  if (requested && found.length === 0 && !args.has('if-exists'))
    throw new CliError(`Topic '${requested}' does not exist as expected`);
}

async function describe(cluster: Cluster, args: ParsedArgs, all: TopicInfo[]): Promise<void> {
  let topics: TopicInfo[];
  const topicId = args.str('topic-id');
  if (topicId !== undefined && !/^A{22}$/.test(topicId)) {
    topics = all.filter((t) => t.topicId === topicId);
    if (topics.length === 0 && !args.has('if-exists'))
      throw new CliError(`TopicId '${topicId}' does not exist as expected`);
  } else {
    const names = new Set(selectTopics(all, args.str('topic'), args.has('exclude-internal')));
    topics = all.filter((t) => names.has(t.name)).sort((a, b) => a.name.localeCompare(b.name));
    ensureExists(topics, args.str('topic'), args);
  }
  if (topics.length === 0) return;
  await addElr(cluster, topics);
  const configs = await describeConfigs(
    cluster,
    RESOURCE.TOPIC,
    topics.map((t) => t.name),
    false,
  );
  printDescription(topics, configs, {
    underReplicated: args.has('under-replicated-partitions'),
    unavailable: args.has('unavailable-partitions'),
    underMinIsr: args.has('under-min-isr-partitions'),
    atMinIsr: args.has('at-min-isr-partitions'),
    withOverrides: args.has('topics-with-overrides'),
    liveBrokers: new Set(cluster.brokerIds()),
  });
}

async function alter(cluster: Cluster, args: ParsedArgs, all: TopicInfo[]): Promise<void> {
  const names = selectTopics(all, args.str('topic'), args.has('exclude-internal'));
  ensureExists(names, args.str('topic'), args);
  const count = args.int('partitions') ?? 0;
  const assignment = args.has('replica-assignment')
    ? parseReplicaAssignment(args.str('replica-assignment') ?? '')
    : null;
  await createPartitions(
    cluster,
    names.map((name) => {
      const existing = all.find((t) => t.name === name)?.partitions.length ?? 0;
      return {
        name,
        count,
        assignments: assignment ? assignment.slice(existing).map((brokerIds) => ({ brokerIds })) : null,
      };
    }),
  );
}

async function execute(args: ParsedArgs): Promise<number> {
  const action = checkArgs(args);
  const cluster = await Cluster.connect(parseBootstrap(args.str('bootstrap-server')));
  try {
    if (action === 'create') {
      await create(cluster, args);
      return 0;
    }
    const all = await listTopics(cluster);
    if (action === 'list') {
      out(selectTopics(all, args.str('topic'), args.has('exclude-internal')).join('\n'));
    } else if (action === 'describe') {
      await describe(cluster, args, all);
    } else if (action === 'alter') {
      await alter(cluster, args, all);
    } else {
      const names = selectTopics(all, args.str('topic'), args.has('exclude-internal'));
      ensureExists(names, args.str('topic'), args);
      await deleteTopics(cluster, names);
    }
    return 0;
  } catch (e) {
    if (e instanceof KafkaCodeError)
      throw new CliError(`Error while executing topic command : ${e.message}`, true);
    throw e;
  } finally {
    cluster.close();
  }
}

export function main(argv: string[]): Promise<never> {
  return runTool(SPEC, argv, execute);
}
