/**
 * The work shared by AlterConfigs (legacy: a topic's overrides become exactly the given set) and
 * IncrementalAlterConfigs (SET/DELETE/APPEND/SUBTRACT per key, KIP-339). Checks follow a KRaft broker
 * (ConfigAdminManager.preprocess) then the controller (ConfigurationControlManager): a resource named
 * twice is INVALID_REQUEST for each copy, duplicate keys and null values are INVALID_REQUEST; a topic's
 * new overrides are validated (INVALID_CONFIG) before its existence (UNKNOWN_TOPIC_OR_PARTITION).
 * Dynamic broker configs (KIP-226) and logger levels are not supported yet: a BROKER or BROKER_LOGGER
 * resource addressed to this node with any change gets INVALID_REQUEST saying so; an empty change is fine.
 */
import { setTopicConfigs } from '../../controller/topic-lifecycle';
import { topicNameError } from '../../controller/topic-names';
import { topicConfigDef, validateTopicConfigs } from '../../log/topic-config';
import type { BrokerContext } from '../../node-context';
import { ErrorCode } from '../../protocol/generated/errors';
import { NO_ERROR, apiError, duplicates, type ApiError } from './api-error';
import { ResourceType } from './config-entries';

/** AlterConfigOp.OpType ids. */
export const OpType = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
const OP_NAMES = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'];

export interface ConfigChange {
  name: string;
  op: number;
  value: string | null;
}

export interface AlterResource {
  resourceType: number;
  resourceName: string;
  changes: ConfigChange[];
}

export interface AlterResult extends ApiError {
  resourceType: number;
  resourceName: string;
}

const invalid = (message: string) => apiError(ErrorCode.INVALID_REQUEST, message);

function nodeIdError(broker: BrokerContext, name: string): ApiError | null {
  if (!/^-?\d+$/.test(name)) return invalid(`Node id must be an integer, but it is: ${name}`);
  if (Number(name) !== broker.nodeId)
    return invalid(`Unexpected broker id, expected ${broker.nodeId}, but received ${name}`);
  return null;
}

/** The topic's overrides after the changes: legacy replaces the set, incremental edits it. */
function nextOverrides(
  current: Record<string, string>,
  changes: ConfigChange[],
  legacy: boolean,
): { overrides: Record<string, string> } | { error: ApiError } {
  const next: Record<string, string> = legacy ? {} : { ...current };
  for (const c of changes) {
    if (legacy || c.op === OpType.SET) {
      next[c.name] = c.value!;
    } else if (c.op === OpType.DELETE) {
      delete next[c.name];
    } else if (c.op === OpType.APPEND || c.op === OpType.SUBTRACT) {
      const def = topicConfigDef(c.name);
      if (def?.type !== 'list')
        return {
          error: apiError(
            ErrorCode.INVALID_CONFIG,
            `Can't ${OP_NAMES[c.op]} to key ${c.name} because its type is not LIST.`,
          ),
        };
      // ConfigurationControlManager.getParts: the current override, else the key's default.
      const parts = (next[c.name] ?? def.default).split(',').filter((x) => x !== '');
      const given = c.value!.split(',');
      const result =
        c.op === OpType.APPEND
          ? [...parts, ...given.filter((x, i) => !parts.includes(x) && given.indexOf(x) === i)]
          : parts.filter((x) => !given.includes(x));
      next[c.name] = result.join(',');
    } else {
      return { error: invalid(`Unknown config operation type ${c.op} for key ${c.name}`) };
    }
  }
  return { overrides: next };
}

function alterTopic(
  broker: BrokerContext,
  r: AlterResource,
  legacy: boolean,
  validateOnly: boolean,
): ApiError {
  if (r.resourceName === '') return invalid('Default topic resources are not allowed.');
  const nameError = topicNameError(r.resourceName);
  if (nameError) return apiError(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
  const topic = broker.metadata.topic(r.resourceName);
  const changed = nextOverrides(topic?.configs ?? {}, r.changes, legacy);
  if ('error' in changed) return changed.error;
  const next = changed.overrides;
  const problem = validateTopicConfigs(next, broker.config);
  if (problem) return apiError(ErrorCode.INVALID_CONFIG, problem.message);
  if (!topic)
    return apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${r.resourceName}' does not exist.`);
  if (validateOnly) return NO_ERROR;
  try {
    setTopicConfigs(broker, topic.name, next);
    broker.log.info({ topic: topic.name, configs: next }, 'altered topic configs');
    return NO_ERROR;
  } catch (err) {
    broker.log.error({ err, topic: topic.name }, 'altering topic configs failed');
    return apiError(ErrorCode.UNKNOWN_SERVER_ERROR);
  }
}

function alterOne(broker: BrokerContext, r: AlterResource, legacy: boolean, validateOnly: boolean): ApiError {
  if (duplicates(r.changes.map((c) => c.name)).size > 0) return invalid('Error due to duplicate config keys');
  const nulls = r.changes.filter((c) => c.op !== OpType.DELETE && c.value === null).map((c) => c.name);
  if (nulls.length > 0) return invalid(`Null value not supported for : ${nulls.join(', ')}`);
  switch (r.resourceType) {
    case ResourceType.TOPIC:
      return alterTopic(broker, r, legacy, validateOnly);
    case ResourceType.BROKER: {
      const idError = r.resourceName === '' ? null : nodeIdError(broker, r.resourceName);
      if (idError || r.changes.length === 0) return idError ?? NO_ERROR;
      const keys = r.changes.map((c) => c.name).join(', ');
      return invalid(
        `Dynamic broker configs are not supported by this broker yet; set ${keys} in server.properties and restart.`,
      );
    }
    case ResourceType.BROKER_LOGGER: {
      const idError = nodeIdError(broker, r.resourceName);
      if (idError || r.changes.length === 0) return idError ?? NO_ERROR;
      return invalid(
        'Changing broker logger levels is not supported by this broker yet; set LOG_LEVEL instead.',
      );
    }
    case ResourceType.CLIENT_METRICS:
    case ResourceType.GROUP:
      return invalid(`Resource type ${r.resourceType} is not supported by this broker yet.`);
    default:
      return invalid(`Unknown resource type ${r.resourceType}`);
  }
}

/** One answer per resource entry, in request order. */
export function alterConfigs(
  broker: BrokerContext,
  resources: AlterResource[],
  opts: { legacy: boolean; validateOnly: boolean },
): AlterResult[] {
  const dup = duplicates(resources.map((r) => `${r.resourceType}:${r.resourceName}`));
  return resources.map((r) => ({
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    ...(dup.has(`${r.resourceType}:${r.resourceName}`)
      ? invalid('Each resource must appear at most once.')
      : alterOne(broker, r, opts.legacy, opts.validateOnly)),
  }));
}
