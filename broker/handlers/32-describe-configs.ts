/**
 * DescribeConfigs (key 32), v0-v4, as Kafka's ConfigHelper answers it. TOPIC: every topic config key
 * with its effective value and source (DYNAMIC_TOPIC_CONFIG for an override, STATIC_BROKER_CONFIG when a
 * broker synonym is set, else DEFAULT_CONFIG); an illegal name is INVALID_TOPIC_EXCEPTION, an unknown
 * topic UNKNOWN_TOPIC_OR_PARTITION. BROKER: this node's id gives every broker key (read-only: no dynamic
 * broker configs here; passwords have a null value), "" gives the cluster-wide dynamic defaults (none),
 * any other name is INVALID_REQUEST. BROKER_LOGGER: this node's id gives the root logger's level.
 * Other resource types are INVALID_REQUEST. configurationKeys null or empty = all keys; synonyms only
 * with includeSynonyms (v1+), documentation only with includeDocumentation (v3+); v0 reports isDefault.
 */
import { topicNameError } from '../controller/topic-names';
import type { BrokerContext } from '../node-context';
import { ErrorCode } from '../protocol/generated/errors';
import type {
  DescribeConfigsResource,
  DescribeConfigsResourceResult,
  DescribeConfigsResponse,
  DescribeConfigsResult,
} from '../protocol/generated/describe-configs';
import { apiError, type ApiError } from './admin/api-error';
import {
  ConfigSourceId,
  ResourceType,
  brokerConfigResults,
  filterKeys,
  topicConfigResults,
  type DescribeOptions,
} from './admin/config-entries';
import { defineHandler } from './types';

/** pino's level names as log4j's (Kafka's BROKER_LOGGER values). */
const LOG4J_LEVEL: Record<string, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
  silent: 'OFF',
};

/** ConfigHelper.resourceNameToBrokerId plus the "is it this node" check. */
function brokerIdError(broker: BrokerContext, name: string, allowEmpty: boolean): ApiError | null {
  if (!/^-?\d+$/.test(name))
    return apiError(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${name}`);
  if (Number(name) !== broker.nodeId)
    return apiError(
      ErrorCode.INVALID_REQUEST,
      `Unexpected broker id, expected ${broker.nodeId}${allowEmpty ? ' or empty string' : ''}, but received ${name}`,
    );
  return null;
}

function describe(
  broker: BrokerContext,
  r: DescribeConfigsResource,
  opts: DescribeOptions,
): ApiError | DescribeConfigsResourceResult[] {
  switch (r.resourceType) {
    case ResourceType.TOPIC: {
      const nameError = topicNameError(r.resourceName);
      if (nameError) return apiError(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
      const topic = broker.metadata.topic(r.resourceName);
      if (!topic) return apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      return topicConfigResults(broker.config, topic.configs, opts);
    }
    case ResourceType.BROKER:
      if (r.resourceName === '') return [];
      return brokerIdError(broker, r.resourceName, true) ?? brokerConfigResults(broker.config, opts);
    case ResourceType.BROKER_LOGGER:
      if (r.resourceName === '') return apiError(ErrorCode.INVALID_REQUEST, 'Broker id must not be empty');
      return (
        brokerIdError(broker, r.resourceName, false) ?? [
          {
            name: 'root',
            value: LOG4J_LEVEL[broker.log.level] ?? broker.log.level.toUpperCase(),
            readOnly: false,
            isDefault: false,
            configSource: ConfigSourceId.DYNAMIC_BROKER_LOGGER_CONFIG,
            isSensitive: false,
            synonyms: [],
            configType: 0,
            documentation: null,
          },
        ]
      );
    default:
      return apiError(ErrorCode.INVALID_REQUEST, `Unsupported resource type: ${r.resourceType}`);
  }
}

export default defineHandler({
  apiKey: 32,
  minVersion: 0,
  maxVersion: 4,
  handle(req, ctx): DescribeConfigsResponse {
    const opts: DescribeOptions = {
      includeSynonyms: ctx.apiVersion >= 1 && req.includeSynonyms === true,
      includeDocumentation: ctx.apiVersion >= 3 && req.includeDocumentation === true,
    };
    const results = req.resources.map((r): DescribeConfigsResult => {
      const out = describe(ctx.broker, r, opts);
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      return Array.isArray(out)
        ? {
            ...base,
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            configs: filterKeys(out, r.configurationKeys),
          }
        : { ...base, ...out, configs: [] };
    });
    return { throttleTimeMs: 0, results };
  },
});
