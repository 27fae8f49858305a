/**
 * kafka-configs: describe and alter topic and broker configs over the Kafka protocol, as Kafka 4.0's
 * ConfigCommand does with --bootstrap-server: DescribeConfigs with synonyms, filtered to the dynamic
 * source unless --all, and IncrementalAlterConfigs (KIP-339) for --add-config/--delete-config.
 * Other entity types (users, clients, ips, groups, client-metrics) are not implemented here.
 */
import { readFileSync } from 'node:fs';
import { checkInvalid, exactlyOne, ZOOKEEPER_REMOVED, type ParsedArgs, type ToolSpec } from './args';
import {
  CONFIG_SOURCE,
  describeConfigs,
  incrementalAlterConfigs,
  listTopics,
  OP,
  RESOURCE,
  type ConfigEntry,
} from './admin';
import { Cluster, parseBootstrap } from './cluster';
import { CliError, KafkaCodeError, UsageError } from './errors';
import { out } from './output';
import { runTool } from './run';

export const SPEC: ToolSpec = {
  name: 'kafka-configs',
  summary: 'This tool helps to manipulate and describe entity config for a topic or broker.',
  removed: { zookeeper: ZOOKEEPER_REMOVED },
  options: [
    {
      name: 'bootstrap-server',
      kind: 'string',
      argName: 'server to connect to',
      describe: 'The Kafka servers to connect to.',
    },
    { name: 'alter', kind: 'flag', describe: 'Alter the configuration for the entity.' },
    { name: 'describe', kind: 'flag', describe: 'List configs for the given entity.' },
    {
      name: 'all',
      kind: 'flag',
      describe: 'List all configs for the given entity, including static configs if available.',
    },
    { name: 'entity-type', kind: 'string', describe: 'Type of entity (topics/brokers)' },
    { name: 'entity-name', kind: 'string', describe: 'Name of entity (topic name/broker id)' },
    {
      name: 'entity-default',
      kind: 'flag',
      describe: 'Default entity name for brokers (applies to corresponding entity type)',
    },
    {
      name: 'add-config',
      kind: 'string',
      multiple: true,
      describe:
        "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'.",
    },
    {
      name: 'add-config-file',
      kind: 'string',
      describe:
        'Path to a properties file with configs to add. See add-config for a list of valid configurations.',
    },
    { name: 'delete-config', kind: 'string', multiple: true, describe: "config keys to remove 'k1,k2'" },
    { name: 'topic', kind: 'string', describe: "The topic's name." },
    { name: 'broker', kind: 'string', describe: "The broker's ID." },
    { name: 'broker-defaults', kind: 'flag', describe: 'The config defaults for all brokers.' },
  ],
};

const SUPPORTED = ['topics', 'brokers'];
const KNOWN = ['topics', 'clients', 'users', 'brokers', 'broker-loggers', 'ips', 'client-metrics', 'groups'];

interface Entity {
  type: 'topics' | 'brokers';
  /** undefined: every entity of the type; '' : the cluster-wide default (brokers only). */
  name: string | undefined;
}

function entityOf(args: ParsedArgs): Entity {
  const specific = args.present('topic', 'broker', 'broker-defaults');
  if (specific.length && args.present('entity-type', 'entity-name', 'entity-default').length)
    throw new UsageError(
      '--entity-{type,name,default} should not be used in conjunction with specific entity flags',
    );
  if (specific.length > 1)
    throw new UsageError(`Only one entity may be given, got --${specific.join(' and --')}`);
  if (args.has('topic')) return { type: 'topics', name: args.str('topic') };
  if (args.has('broker')) return { type: 'brokers', name: args.str('broker') };
  if (args.has('broker-defaults')) return { type: 'brokers', name: '' };
  const type = args.str('entity-type');
  if (type === undefined) throw new UsageError('At least one entity type must be specified');
  if (!KNOWN.includes(type))
    throw new UsageError(`Invalid entity type ${type}, the entity type must be one of ${KNOWN.join(', ')}`);
  if (!SUPPORTED.includes(type))
    throw new CliError(
      `Entity type '${type}' is not supported by this tool (supported: ${SUPPORTED.join(', ')})`,
    );
  if (args.has('entity-default') && type !== 'brokers')
    throw new UsageError(`--entity-default is not valid for entity type ${type}`);
  return { type: type as Entity['type'], name: args.has('entity-default') ? '' : args.str('entity-name') };
}

/** "k1=v1,k2=[a,b],k3=v3" -> pairs; commas inside square brackets belong to the value. */
export function parseAddConfig(text: string): { name: string; value: string }[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq <= 0)
        throw new UsageError(
          'Invalid entity config: all configs to be added must be in the format "key=val" or "key=[val1,val2]"',
        );
      const value = p.slice(eq + 1).trim();
      return { name: p.slice(0, eq).trim(), value: /^\[.*\]$/.test(value) ? value.slice(1, -1) : value };
    });
}

function configsToAdd(args: ParsedArgs): { name: string; value: string }[] {
  const pairs = args.strs('add-config').flatMap(parseAddConfig);
  const file = args.str('add-config-file');
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(`Cannot read ${file}: ${(e as Error).message}`);
    }
    for (const line of text.split(/\r?\n/)) {
      const m = /^\s*([^#!\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
      if (m) pairs.push({ name: m[1], value: m[2].trim() });
    }
  }
  return pairs;
}

const DYNAMIC_SOURCE = { topics: 1, brokers: 2, default: 3 };

function printEntries(entries: ConfigEntry[], filter: number | null): void {
  const shown = entries
    .filter((e) => filter === null || e.source === filter)
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const e of shown) {
    const synonyms = e.synonyms
      .map((s) => `${CONFIG_SOURCE[s.source] ?? s.source}:${s.name}=${s.value}`)
      .join(', ');
    out(`  ${e.name}=${e.value} sensitive=${e.isSensitive} synonyms={${synonyms}}`);
  }
}

async function describe(cluster: Cluster, entity: Entity, all: boolean): Promise<void> {
  let names: string[];
  if (entity.name !== undefined) {
    if (
      !all &&
      entity.type === 'topics' &&
      !(await listTopics(cluster)).some((t) => t.name === entity.name)
    ) {
      out(`The topic '${entity.name}' doesn't exist and doesn't have dynamic config.`);
      return;
    }
    if (
      !all &&
      entity.type === 'brokers' &&
      entity.name !== '' &&
      !cluster.brokerIds().includes(Number(entity.name))
    ) {
      out(`The broker '${entity.name}' doesn't exist and doesn't have dynamic config.`);
      return;
    }
    names = [entity.name];
  } else if (entity.type === 'topics') names = (await listTopics(cluster)).map((t) => t.name).sort();
  else names = [...cluster.brokerIds().map(String), ''];
  const type = entity.type === 'topics' ? RESOURCE.TOPIC : RESOURCE.BROKER;
  for (const name of names) {
    const configs = (await describeConfigs(cluster, type, [name], true)).get(name) ?? [];
    if (name === '') out(`Default configs for ${entity.type} in the cluster are:`);
    else out(`${all ? 'All' : 'Dynamic'} configs for ${entity.type.slice(0, -1)} ${name} are:`);
    const source = name === '' ? DYNAMIC_SOURCE.default : DYNAMIC_SOURCE[entity.type];
    printEntries(configs, all ? null : source);
  }
}

async function alter(cluster: Cluster, entity: Entity, args: ParsedArgs): Promise<void> {
  if (entity.name === undefined)
    throw new UsageError(`an entity name must be specified with --alter of ${entity.type}`);
  const add = configsToAdd(args);
  const del = args
    .strs('delete-config')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (add.length === 0 && del.length === 0)
    throw new UsageError(
      'At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter',
    );
  const type = entity.type === 'topics' ? RESOURCE.TOPIC : RESOURCE.BROKER;
  if (del.length) {
    const current = (await describeConfigs(cluster, type, [entity.name], false)).get(entity.name) ?? [];
    const source = entity.name === '' ? DYNAMIC_SOURCE.default : DYNAMIC_SOURCE[entity.type];
    const dynamic = new Set(current.filter((c) => c.source === source).map((c) => c.name));
    const invalid = del.filter((k) => !dynamic.has(k));
    if (invalid.length) throw new CliError(`Invalid config(s): ${invalid.join(',')}`);
  }
  await incrementalAlterConfigs(cluster, type, entity.name, [
    ...del.map((name) => ({ name, configOperation: OP.DELETE, value: null })),
    ...add.map((c) => ({ name: c.name, configOperation: OP.SET, value: c.value })),
  ]);
  if (entity.name !== '') out(`Completed updating config for ${entity.type.slice(0, -1)} ${entity.name}.`);
  else out(`Completed updating default config for ${entity.type} in the cluster.`);
}

async function execute(args: ParsedArgs): Promise<number> {
  const action = exactlyOne(
    args,
    ['alter', 'describe'],
    'Command must include exactly one action: --describe, --alter',
  );
  checkInvalid(args, 'describe', ['alter', 'add-config', 'add-config-file', 'delete-config']);
  if (!args.has('bootstrap-server'))
    throw new UsageError('Either --bootstrap-server or --bootstrap-controller must be specified');
  const entity = entityOf(args);
  if (entity.type === 'brokers' && entity.name && !/^\d+$/.test(entity.name))
    throw new UsageError(
      `The entity name for brokers must be a valid integer broker id, but it is: ${entity.name}`,
    );
  const cluster = await Cluster.connect(parseBootstrap(args.str('bootstrap-server')));
  try {
    if (action === 'describe') await describe(cluster, entity, args.has('all'));
    else await alter(cluster, entity, args);
    return 0;
  } catch (e) {
    if (e instanceof KafkaCodeError)
      throw new CliError(`Error while executing config command : ${e.message}`, true);
    throw e;
  } finally {
    cluster.close();
  }
}

export function main(argv: string[]): Promise<never> {
  return runTool(SPEC, argv, execute);
}
