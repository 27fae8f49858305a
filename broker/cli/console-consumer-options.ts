/**
 * kafka-console-consumer's options and their checks, after Kafka 4.0's ConsoleConsumerOptions:
 * exactly one of --topic/--include, --partition needs --topic and excludes --group, --offset needs
 * --partition, the group id may come from --group, --consumer-property or --consumer.config but must
 * agree, and without one a throwaway "console-consumer-NNNNN" group is used with auto-commit off.
 */
import { checkRequired, ZOOKEEPER_REMOVED, type ParsedArgs, type ToolSpec } from './args';
import { UsageError } from './errors';
import { boolProp, intProp, merged, parsePropertyArgs, readPropertiesFile } from './properties';

export const SPEC: ToolSpec = {
  name: 'kafka-console-consumer',
  summary: 'This tool helps to read data from Kafka topics and outputs it to standard output.',
  removed: { zookeeper: ZOOKEEPER_REMOVED },
  options: [
    {
      name: 'bootstrap-server',
      kind: 'string',
      argName: 'server to connect to',
      describe: 'REQUIRED: The server(s) to connect to.',
    },
    { name: 'topic', kind: 'string', describe: 'The topic to consume on.' },
    {
      name: 'include',
      kind: 'string',
      argName: 'Java regex (String)',
      describe: 'Regular expression specifying list of topics to include for consumption.',
    },
    {
      name: 'whitelist',
      kind: 'string',
      argName: 'Java regex (String)',
      describe:
        'DEPRECATED, use --include instead; ignored if --include specified. Regular expression specifying list of topics to include for consumption.',
    },
    {
      name: 'partition',
      kind: 'int',
      describe:
        "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified.",
    },
    {
      name: 'offset',
      kind: 'string',
      argName: 'consume offset',
      default: 'latest',
      describe:
        "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end",
    },
    {
      name: 'consumer-property',
      kind: 'string',
      multiple: true,
      argName: 'consumer_prop',
      describe: 'A mechanism to pass user-defined properties in the form key=value to the consumer.',
    },
    {
      name: 'consumer.config',
      kind: 'string',
      argName: 'config file',
      describe:
        'Consumer config properties file. Note that [consumer-property] takes precedence over this config.',
    },
    {
      name: 'formatter',
      kind: 'string',
      argName: 'class',
      default: 'org.apache.kafka.tools.consumer.DefaultMessageFormatter',
      describe: 'The name of a class to use for formatting kafka messages for display.',
    },
    {
      name: 'formatter-config',
      kind: 'string',
      argName: 'config file',
      describe:
        'Config properties file to initialize the message formatter. Note that [property] takes precedence over this config.',
    },
    {
      name: 'property',
      kind: 'string',
      multiple: true,
      argName: 'prop',
      describe:
        'The properties to initialize the message formatter. Default properties include: print.timestamp=true|false, print.key=true|false, print.offset=true|false, print.partition=true|false, print.headers=true|false, print.value=true|false, key.separator=<key.separator>, line.separator=<line.separator>, headers.separator=<line.separator>, null.literal=<null.literal>',
    },
    {
      name: 'from-beginning',
      kind: 'flag',
      describe:
        'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.',
    },
    {
      name: 'max-messages',
      kind: 'int',
      argName: 'num_messages',
      describe:
        'The maximum number of messages to consume before exiting. If not set, consumption is continual.',
    },
    {
      name: 'timeout-ms',
      kind: 'int',
      argName: 'timeout_ms',
      describe: 'If specified, exit if no message is available for consumption for the specified interval.',
    },
    {
      name: 'skip-message-on-error',
      kind: 'flag',
      describe: 'If there is an error when processing a message, skip it instead of halt.',
    },
    {
      name: 'key-deserializer',
      kind: 'string',
      argName: 'deserializer for key',
      describe: 'Accepted for compatibility; keys are printed as their bytes.',
    },
    {
      name: 'value-deserializer',
      kind: 'string',
      argName: 'deserializer for values',
      describe: 'Accepted for compatibility; values are printed as their bytes.',
    },
    {
      name: 'isolation-level',
      kind: 'string',
      default: 'read_uncommitted',
      describe:
        'Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.',
    },
    {
      name: 'group',
      kind: 'string',
      argName: 'consumer group id',
      describe: 'The consumer group id of the consumer.',
    },
  ],
};

const FORMATTERS = [
  'org.apache.kafka.tools.consumer.DefaultMessageFormatter',
  'kafka.tools.DefaultMessageFormatter',
];

export interface ConsumerOptions {
  topic: string | undefined;
  include: string | undefined;
  partition: number | undefined;
  /** 'earliest' | 'latest' | an offset (only with --partition). */
  offset: 'earliest' | 'latest' | bigint;
  fromBeginning: boolean;
  groupId: string;
  groupGiven: boolean;
  autoCommit: boolean;
  autoCommitIntervalMs: number;
  readUncommitted: boolean;
  clientId: string;
  sessionTimeoutMs: number | undefined;
  heartbeatIntervalMs: number | undefined;
  maxMessages: number | undefined;
  timeoutMs: number | undefined;
  formatterProps: Map<string, string>;
}

function offsetOf(raw: string): 'earliest' | 'latest' | bigint {
  const v = raw.trim().toLowerCase();
  if (v === 'earliest' || v === '-2') return 'earliest';
  if (v === 'latest' || v === '-1') return 'latest';
  if (/^\d+$/.test(v)) return BigInt(v);
  throw new UsageError(
    `The provided offset value '${raw}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long`,
  );
}

export function consumerOptions(args: ParsedArgs): ConsumerOptions {
  checkRequired(args, 'bootstrap-server');
  const include = args.str('include') ?? args.str('whitelist');
  if ((args.has('topic') ? 1 : 0) + (include !== undefined ? 1 : 0) !== 1)
    throw new UsageError('Exactly one of include/topic is required');
  const partition = args.int('partition', 0);
  if (partition !== undefined && !args.has('topic'))
    throw new UsageError('The topic is required when partition is specified');
  if (args.has('offset') && partition === undefined)
    throw new UsageError('The partition is required when offset is specified');
  if (args.has('from-beginning') && args.has('offset'))
    throw new UsageError('Options from-beginning and offset cannot be specified together');
  const formatter = args.str('formatter') ?? FORMATTERS[0];
  if (!FORMATTERS.includes(formatter))
    throw new UsageError(`Only the default formatter (${FORMATTERS[0]}) is available, not ${formatter}`);

  const file = args.str('consumer.config');
  const fromFile = file ? readPropertiesFile(file) : new Map<string, string>();
  const fromArgs = parsePropertyArgs(args.strs('consumer-property'), '--consumer-property');
  const props = merged(fromFile, fromArgs);
  const ids = [args.str('group'), fromArgs.get('group.id'), fromFile.get('group.id')].filter(
    (x): x is string => x !== undefined,
  );
  if (new Set(ids).size > 1)
    throw new UsageError(
      `The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: ${[...new Set(ids)].map((i) => `'${i}'`).join(', ')}`,
    );
  const groupGiven = ids.length > 0;
  if (groupGiven && partition !== undefined)
    throw new UsageError('Options group and partition cannot be specified together');
  const reset = props.get('auto.offset.reset');
  if (args.has('from-beginning') && reset !== undefined && reset !== 'earliest')
    throw new UsageError(`Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}'`);

  const isolation = props.get('isolation.level') ?? args.str('isolation-level') ?? 'read_uncommitted';
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted')
    throw new UsageError(
      `Invalid value ${isolation} for isolation.level: use read_committed or read_uncommitted`,
    );
  const offset =
    partition !== undefined
      ? offsetOf(args.has('from-beginning') ? 'earliest' : (args.str('offset') ?? 'latest'))
      : 'latest';
  const formatterFile = args.str('formatter-config');
  return {
    topic: args.str('topic'),
    include,
    partition,
    offset,
    fromBeginning: args.has('from-beginning') || reset === 'earliest' || offset === 'earliest',
    groupId: ids[0] ?? `console-consumer-${Math.floor(Math.random() * 100_000)}`,
    groupGiven,
    autoCommit: groupGiven && boolProp(props, 'enable.auto.commit', true),
    autoCommitIntervalMs: intProp(props, 'auto.commit.interval.ms') ?? 5_000,
    readUncommitted: isolation === 'read_uncommitted',
    clientId: props.get('client.id') ?? 'console-consumer',
    sessionTimeoutMs: intProp(props, 'session.timeout.ms'),
    heartbeatIntervalMs: intProp(props, 'heartbeat.interval.ms'),
    maxMessages: args.int('max-messages'),
    timeoutMs: args.int('timeout-ms'),
    formatterProps: merged(
      formatterFile ? readPropertiesFile(formatterFile) : new Map(),
      parsePropertyArgs(args.strs('property'), '--property'),
    ),
  };
}
