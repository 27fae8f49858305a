/**
 * CreateTopics (key 19), v0-v7, as Kafka's KRaft controller answers it (ControllerApis.createTopics,
 * ReplicationControlManager.createTopics). Per topic, in Kafka's order: a name used twice in the request
 * is INVALID_REQUEST for that name; __cluster_metadata is INVALID_REQUEST; an illegal name or one that
 * collides with an existing topic on '.'/'_' is INVALID_TOPIC_EXCEPTION; an existing topic is
 * TOPIC_ALREADY_EXISTS; null, unknown or invalid configs are INVALID_CONFIG; then either a manual
 * assignment (both counts must be -1: INVALID_REQUEST; duplicate, empty, uneven, unknown-broker or
 * non-contiguous assignments: INVALID_REPLICA_ASSIGNMENT) or counts (-1 = num.partitions /
 * default.replication.factor, KIP-464; 0 or < -1: INVALID_PARTITIONS / INVALID_REPLICATION_FACTOR; more
 * replicas than brokers: INVALID_REPLICATION_FACTOR). Other internal topics may be created, as in Kafka.
 * A request that would write over 10,000 metadata records fails whole with POLICY_VIOLATION.
 * validateOnly runs every check and reports the would-be result without creating anything (topic id zero).
 * v5+ (KIP-525) returns partitions, replication factor and the effective configs; v7 the topic id.
 */
import { createPlannedTopic, planTopic, type TopicPlan } from './admin/create-topic-plan';
import {
  MAX_RECORDS_PER_USER_OP,
  TOO_MANY_RECORDS,
  apiError,
  duplicates,
  type ApiError,
} from './admin/api-error';
import { createdTopicConfigs } from './admin/config-entries';
import { ErrorCode } from '../protocol/generated/errors';
import type { CreatableTopicResult, CreateTopicsResponse } from '../protocol/generated/create-topics';
import { ZERO_UUID } from '../protocol/reader';
import { defineHandler } from './types';

const failed = (name: string, e: ApiError): CreatableTopicResult => ({
  name,
  topicId: ZERO_UUID,
  errorCode: e.errorCode,
  errorMessage: e.errorMessage,
  numPartitions: -1,
  replicationFactor: -1,
  configs: [],
});

export default defineHandler({
  apiKey: 19,
  minVersion: 0,
  maxVersion: 7,
  handle(req, ctx): CreateTopicsResponse {
    const { broker } = ctx;
    const validateOnly = ctx.apiVersion >= 1 && req.validateOnly === true;
    const dup = duplicates(req.topics.map((t) => t.name));
    const outcomes = new Map<string, TopicPlan | ApiError>();
    for (const t of req.topics) if (!dup.has(t.name)) outcomes.set(t.name, planTopic(broker, t));

    const plans = [...outcomes.values()].filter((o): o is TopicPlan => 'numPartitions' in o);
    const records = plans.reduce((n, p) => n + 1 + p.numPartitions + Object.keys(p.configs).length, 0);
    if (records > MAX_RECORDS_PER_USER_OP)
      for (const name of outcomes.keys()) outcomes.set(name, TOO_MANY_RECORDS);

    const topics: CreatableTopicResult[] = [];
    for (const [name, outcome] of outcomes) {
      if (!('numPartitions' in outcome)) {
        topics.push(failed(name, outcome));
        continue;
      }
      const created = validateOnly ? { topicId: ZERO_UUID } : createPlannedTopic(broker, outcome);
      if ('errorCode' in created) {
        topics.push(failed(name, created));
        continue;
      }
      topics.push({
        name,
        topicId: created.topicId,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        topicConfigErrorCode: ErrorCode.NONE,
        numPartitions: outcome.numPartitions,
        replicationFactor: outcome.replicationFactor,
        configs: createdTopicConfigs(broker.config, outcome.configs),
      });
    }
    for (const name of dup)
      topics.push(failed(name, apiError(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.')));
    return { throttleTimeMs: 0, topics };
  },
});
