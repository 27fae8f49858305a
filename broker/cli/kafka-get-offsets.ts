/**
 * kafka-get-offsets: offsets per partition for a time spec, printed as `topic:partition:offset`
 * (Kafka 4.0's GetOffsetShell). ListOffsets goes to each partition's leader; -1/latest, -2/earliest,
 * -3/max-timestamp (KIP-734), -4/earliest-local and -5/latest-tiered (KIP-405), or a timestamp in ms.
 * Partitions with no offset for the spec (a timestamp after the last record) are left out, as Kafka does.
 */
import { checkRequired, type ParsedArgs, type ToolSpec } from './args';
import { listOffsets, listTopics, type TopicInfo } from './admin';
import { Cluster, parseBootstrap } from './cluster';
import { CliError, describeCode, UsageError } from './errors';
import { err, out } from './output';
import { runTool } from './run';
import { IncludeList, INTERNAL_TOPICS } from './topic-filter';

export const SPEC: ToolSpec = {
  name: 'kafka-get-offsets',
  summary: 'An interactive shell for getting topic-partition offsets.',
  options: [
    {
      name: 'bootstrap-server',
      kind: 'string',
      argName: 'HOST1:PORT1,...,HOST3:PORT3',
      describe: 'REQUIRED. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.',
    },
    {
      name: 'topic-partitions',
      kind: 'string',
      argName: 'topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3',
      describe:
        "Comma separated list of topic-partition patterns to get the offsets for, with the format of '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?'. The first group is an optional regex for the topic name, if omitted, it matches any topic name. The section after ':' describes a 'partition' pattern, which can be: a number, a range in the format of 'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions.",
    },
    {
      name: 'topic',
      kind: 'string',
      describe:
        'The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present.',
    },
    {
      name: 'partitions',
      kind: 'string',
      argName: 'partition ids',
      describe:
        'Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present.',
    },
    {
      name: 'time',
      kind: 'string',
      default: 'latest',
      argName:
        '<timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered',
      describe:
        'timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.]',
    },
    {
      name: 'exclude-internal-topics',
      kind: 'flag',
      describe: 'By default, internal topics are included. If specified, internal topics are excluded.',
    },
  ],
};

const NAMED: Record<string, bigint> = {
  latest: -1n,
  earliest: -2n,
  'max-timestamp': -3n,
  'earliest-local': -4n,
  'latest-tiered': -5n,
};

export function parseTime(spec: string): bigint {
  if (spec in NAMED) return NAMED[spec];
  if (!/^-?\d+$/.test(spec))
    throw new CliError(
      `Malformed time argument ${spec}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp`,
    );
  return BigInt(spec);
}

type PartitionFilter = (p: number) => boolean;
interface Rule {
  topic: IncludeList;
  partition: PartitionFilter;
}

const RULE = /^([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?$/;

/** One `--topic-partitions` item (GetOffsetShell.parseRuleSpec). */
export function parseRule(spec: string): Rule {
  const m = RULE.exec(spec);
  if (!m) throw new CliError(`Invalid rule specification: ${spec}`);
  const [, topic, single, lower, upper] = m;
  const topicFilter = new IncludeList(topic === '' ? '.*' : topic);
  let partition: PartitionFilter = () => true;
  if (single) partition = (p) => p === Number(single);
  else if (lower || upper) {
    const lo = lower ? Number(lower) : 0;
    const hi = upper ? Number(upper) : Number.MAX_SAFE_INTEGER;
    partition = (p) => p >= lo && p < hi;
  }
  return { topic: topicFilter, partition };
}

function rules(args: ParsedArgs): Rule[] {
  if (args.has('topic-partitions')) {
    if (args.has('topic') || args.has('partitions'))
      throw new CliError('--topic-partitions cannot be used with --topic or --partitions');
    return (args.str('topic-partitions') ?? '').split(',').map(parseRule);
  }
  const ids = (args.str('partitions') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (!/^\d+$/.test(s)) throw new CliError(`Invalid partition id '${s}'`);
      return Number(s);
    });
  return [
    {
      topic: new IncludeList(args.str('topic') ?? '.*'),
      partition: (p) => ids.length === 0 || ids.includes(p),
    },
  ];
}

function select(topics: TopicInfo[], rs: Rule[], excludeInternal: boolean) {
  const chosen: { topic: string; partition: number; leader: number }[] = [];
  for (const t of topics) {
    if (excludeInternal && (t.isInternal || INTERNAL_TOPICS.has(t.name))) continue;
    for (const p of t.partitions)
      if (rs.some((r) => r.topic.matches(t.name) && r.partition(p.partition)))
        chosen.push({ topic: t.name, partition: p.partition, leader: p.leader });
  }
  return chosen;
}

async function execute(args: ParsedArgs): Promise<number> {
  checkRequired(args, 'bootstrap-server');
  const servers = parseBootstrap(args.str('bootstrap-server'));
  const timestamp = parseTime(args.str('time') ?? 'latest');
  const rs = rules(args);
  const cluster = await Cluster.connect(servers);
  try {
    const chosen = select(await listTopics(cluster), rs, args.has('exclude-internal-topics'));
    if (chosen.length === 0)
      throw new CliError('Could not match any topic-partitions with the specified filters');
    const answers = await listOffsets(cluster, chosen, timestamp);
    const results = new Map<string, { topic: string; partition: number; offset: bigint }>();
    for (const c of chosen) {
      const a = answers.get(`${c.topic}:${c.partition}`);
      if (!a) continue;
      if ('errorCode' in a)
        err(
          `Skip getting offsets for topic-partition ${c.topic}-${c.partition} due to error: ${describeCode(a.errorCode)}`,
        );
      else if (a.offset !== -1n)
        results.set(`${c.topic}-${c.partition}`, {
          topic: c.topic,
          partition: c.partition,
          offset: a.offset,
        });
    }
    // GetOffsetShell sorts by TopicPartition.toString(), i.e. "topic-partition" as text.
    for (const key of [...results.keys()].sort()) {
      const r = results.get(key);
      if (r) out(`${r.topic}:${r.partition}:${r.offset}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof CliError) throw new CliError(`Error occurred: ${e.message}`, true);
    throw e;
  } finally {
    cluster.close();
  }
}

export function main(argv: string[]): Promise<never> {
  return runTool(SPEC, argv, execute);
}
