/**
 * kafka-consumer-groups: list, describe (offsets and lag, members, state), delete consumer groups and
 * reset their offsets, over the Kafka protocol (Kafka 4.0's ConsumerGroupCommand). Unlike Kafka, whose
 * tool prints "Error: ..." on stdout and still exits 0, every failure here goes to stderr with exit 1.
 */
import { checkInvalid, exactlyOne, ZOOKEEPER_REMOVED, type ParsedArgs, type ToolSpec } from './args';
import { Cluster, parseBootstrap } from './cluster';
import { CliError, describeCode, KafkaCodeError, UsageError } from './errors';
import { deleteGroups, describeGroup, listGroups } from './groups-admin';
import { describeMembers, describeOffsets, describeState } from './groups-describe';
import { executeReset, exportCsv, planReset, printPlan, SCENARIOS, type PlannedOffset } from './groups-reset';
import { err, out, row } from './output';
import { runTool } from './run';

export const SPEC: ToolSpec = {
  name: 'kafka-consumer-groups',
  summary:
    'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.',
  removed: { zookeeper: ZOOKEEPER_REMOVED },
  options: [
    {
      name: 'bootstrap-server',
      kind: 'string',
      argName: 'server to connect to',
      describe: 'REQUIRED: The server(s) to connect to.',
    },
    {
      name: 'group',
      kind: 'string',
      multiple: true,
      argName: 'consumer group',
      describe: 'The consumer group we wish to act on.',
    },
    {
      name: 'topic',
      kind: 'string',
      multiple: true,
      describe:
        'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process.',
    },
    {
      name: 'all-topics',
      kind: 'flag',
      describe: 'Consider all topics assigned to a group in the `reset-offsets` process.',
    },
    { name: 'list', kind: 'flag', describe: 'List all consumer groups.' },
    {
      name: 'describe',
      kind: 'flag',
      describe:
        'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.',
    },
    { name: 'all-groups', kind: 'flag', describe: 'Apply to all consumer groups.' },
    {
      name: 'delete',
      kind: 'flag',
      describe:
        'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group.',
    },
    {
      name: 'timeout',
      kind: 'int',
      argName: 'timeout (ms)',
      default: '5000',
      describe: 'The timeout that can be set for some use cases.',
    },
    {
      name: 'reset-offsets',
      kind: 'flag',
      describe:
        'Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive. Has 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets.',
    },
    {
      name: 'dry-run',
      kind: 'flag',
      describe:
        'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.',
    },
    { name: 'execute', kind: 'flag', describe: 'Execute operation. Supported operations: reset-offsets.' },
    {
      name: 'export',
      kind: 'flag',
      describe: 'Export operation execution to a CSV file. Supported operations: reset-offsets.',
    },
    { name: 'to-offset', kind: 'string', argName: 'offset', describe: 'Reset offsets to a specific offset.' },
    {
      name: 'to-datetime',
      kind: 'string',
      argName: 'datetime',
      describe: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'",
    },
    {
      name: 'by-duration',
      kind: 'string',
      argName: 'duration',
      describe: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'",
    },
    { name: 'to-earliest', kind: 'flag', describe: 'Reset offsets to earliest offset.' },
    { name: 'to-latest', kind: 'flag', describe: 'Reset offsets to latest offset.' },
    { name: 'to-current', kind: 'flag', describe: 'Reset offsets to current offset.' },
    {
      name: 'shift-by',
      kind: 'string',
      argName: 'number-of-offsets',
      describe: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.",
    },
    {
      name: 'members',
      kind: 'flag',
      describe:
        "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only.",
    },
    {
      name: 'verbose',
      kind: 'flag',
      describe: 'Provide additional information, if any, when describing the group.',
    },
    {
      name: 'offsets',
      kind: 'flag',
      describe:
        "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only.",
    },
    {
      name: 'state',
      kind: 'optional',
      implicit: '',
      argName: 'String',
      describe:
        "When specified with '--describe', includes the state of the group. When specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states.",
    },
  ],
};

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets'];
const STATES = [
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
  'Empty',
  'Assigning',
  'Reconciling',
];

function checkArgs(args: ParsedArgs): string {
  const action = exactlyOne(
    args,
    ACTIONS,
    'Command must include exactly one action: --list, --describe, --delete, --reset-offsets',
  );
  if (!args.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const others = (keep: string) => ACTIONS.filter((a) => a !== keep);
  if (
    (action === 'describe' || action === 'delete' || action === 'reset-offsets') &&
    !args.has('group') &&
    !args.has('all-groups')
  )
    throw new UsageError(`Option [${action}] takes one of these options: [all-groups], [group]`);
  checkInvalid(args, 'members', [...others('describe'), 'offsets', 'state']);
  checkInvalid(args, 'offsets', [...others('describe'), 'members', 'state']);
  checkInvalid(args, 'state', ['delete', 'reset-offsets', 'members', 'offsets']);
  checkInvalid(args, 'all-topics', others('reset-offsets'));
  checkInvalid(args, 'dry-run', others('reset-offsets'));
  checkInvalid(args, 'execute', others('reset-offsets'));
  checkInvalid(args, 'export', others('reset-offsets'));
  for (const s of SCENARIOS) checkInvalid(args, s, others('reset-offsets'));
  if (action === 'reset-offsets') {
    const scenarios = args.present(...SCENARIOS);
    if (scenarios.length !== 1)
      throw new UsageError(
        `Option [reset-offsets] takes exactly one of these options: ${SCENARIOS.map((s) => `[${s}]`).join(', ')}`,
      );
    if (args.has('dry-run') && args.has('execute'))
      throw new UsageError('Option [reset-offsets] only accepts one of [execute], [dry-run]');
    if (!args.has('all-topics') && !args.has('topic'))
      throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic');
    checkInvalid(args, 'all-topics', ['topic']);
    if (!args.has('dry-run') && !args.has('execute'))
      err(
        'WARN: No action will be performed as the --execute option is missing. In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.',
      );
  }
  return action;
}

/** Consumer groups only (protocol type "consumer", or "" for groups that only commit offsets). */
async function consumerGroups(cluster: Cluster) {
  return (await listGroups(cluster)).filter((g) => g.protocolType === 'consumer' || g.protocolType === '');
}

async function list(cluster: Cluster, args: ParsedArgs): Promise<void> {
  const groups = await consumerGroups(cluster);
  if (!args.has('state')) {
    for (const g of groups.sort((a, b) => a.groupId.localeCompare(b.groupId))) out(g.groupId);
    return;
  }
  const wanted = (args.str('state') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const match = STATES.find((x) => x.toLowerCase() === s.toLowerCase());
      if (!match)
        throw new UsageError(
          `Invalid state list '${args.str('state')}'. Valid states are: ${STATES.join(', ')}`,
        );
      return match;
    });
  const rows: [string, string][] = [];
  for (const g of groups) {
    const state = g.state ?? (await describeGroup(cluster, g.groupId)).state;
    if (wanted.length === 0 || wanted.includes(state)) rows.push([g.groupId, state]);
  }
  const widths = [Math.max(15, ...rows.map((r) => r[0].length)) + 10, 20];
  out(row(['GROUP', 'STATE'], widths));
  for (const r of rows.sort((a, b) => a[0].localeCompare(b[0]))) out(row(r, widths));
}

async function groupIds(cluster: Cluster, args: ParsedArgs): Promise<string[]> {
  if (args.has('all-groups')) return (await consumerGroups(cluster)).map((g) => g.groupId).sort();
  return [...new Set(args.strs('group'))].sort();
}

async function remove(cluster: Cluster, ids: string[]): Promise<void> {
  const results = await deleteGroups(cluster, ids);
  const failed = [...results].filter(([, code]) => code !== 0);
  const ok = [...results].filter(([, code]) => code === 0).map(([g]) => `'${g}'`);
  if (failed.length === 0) {
    out(`Deletion of requested consumer groups (${ok.join(', ')}) was successful.`);
    return;
  }
  err('Error: Deletion of some consumer groups failed:');
  for (const [g, code] of failed) err(`* Group '${g}' could not be deleted due to: ${describeCode(code)}`);
  if (ok.length) out(`\nThese consumer groups were deleted successfully: ${ok.join(', ')}`);
  throw new CliError(`${failed.length} of ${results.size} consumer groups could not be deleted`, true);
}

async function execute(args: ParsedArgs): Promise<number> {
  const action = checkArgs(args);
  const cluster = await Cluster.connect(parseBootstrap(args.str('bootstrap-server')));
  try {
    if (action === 'list') await list(cluster, args);
    else if (action === 'delete') await remove(cluster, await groupIds(cluster, args));
    else if (action === 'describe') {
      for (const g of await groupIds(cluster, args)) {
        if (args.has('members')) await describeMembers(cluster, g, args.has('verbose'));
        else if (args.has('state')) await describeState(cluster, g);
        else await describeOffsets(cluster, g);
      }
    } else {
      const plans = new Map<string, PlannedOffset[]>();
      for (const g of await groupIds(cluster, args)) {
        const plan = await planReset(cluster, g, args);
        if (args.has('execute')) await executeReset(cluster, g, plan);
        plans.set(g, plan);
      }
      if (args.has('export')) exportCsv(plans);
      else printPlan(plans);
    }
    return 0;
  } catch (e) {
    if (e instanceof KafkaCodeError)
      throw new CliError(`Executing consumer group command failed due to ${e.message}`);
    throw e;
  } finally {
    cluster.close();
  }
}

export function main(argv: string[]): Promise<never> {
  return runTool(SPEC, argv, execute);
}
