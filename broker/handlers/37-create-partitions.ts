/**
 * CreatePartitions (key 37), v0-v3, as Kafka's KRaft controller answers it (ControllerApis.createPartitions,
 * ReplicationControlManager.createPartitions). A topic named twice is INVALID_REQUEST once; an unknown
 * topic is UNKNOWN_TOPIC_OR_PARTITION; a count equal to or below the current one is INVALID_PARTITIONS
 * (partitions are never removed); assignments must cover exactly the new partitions, each with the
 * topic's replication factor, registered brokers, no broker twice and at least one unfenced broker
 * (INVALID_REPLICA_ASSIGNMENT); automatic placement needs enough brokers (INVALID_REPLICATION_FACTOR).
 * More than 10,000 new partitions in one request fail whole with POLICY_VIOLATION. validateOnly checks
 * everything and changes nothing. New partitions get logs here with the topic's effective config.
 */
import { addPartitions } from '../controller/topic-lifecycle';
import type { BrokerContext } from '../node-context';
import type {
  CreatePartitionsResponse,
  CreatePartitionsTopic,
  CreatePartitionsTopicResult,
} from '../protocol/generated/create-partitions';
import { ErrorCode } from '../protocol/generated/errors';
import {
  MAX_RECORDS_PER_USER_OP,
  NO_ERROR,
  TOO_MANY_RECORDS,
  apiError,
  duplicates,
  type ApiError,
} from './admin/api-error';
import { allFencedError, manualAssignmentError, placementError } from './admin/replica-assignment';
import { defineHandler } from './types';

interface Plan {
  name: string;
  count: number;
  additional: number;
  assignments?: number[][];
}

function plan(broker: BrokerContext, t: CreatePartitionsTopic): Plan | ApiError {
  const topic = broker.metadata.topic(t.name);
  if (!topic) return apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const current = topic.partitions.length;
  if (t.count === current)
    return apiError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partition(s).`);
  if (t.count < current)
    return apiError(
      ErrorCode.INVALID_PARTITIONS,
      `The topic ${t.name} currently has ${current} partition(s); ${t.count} would not be an increase.`,
    );
  const additional = t.count - current;
  const replicationFactor = topic.partitions[0]?.replicas.length ?? 1;
  if (t.assignments === null) {
    const placement = placementError(broker.metadata, replicationFactor);
    if (placement) return apiError(ErrorCode.INVALID_REPLICATION_FACTOR, placement);
    return { name: t.name, count: t.count, additional };
  }
  if (t.assignments.length !== additional)
    return apiError(
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      `Attempted to add ${additional} additional partition(s), but only ${t.assignments.length} assignment(s) were specified.`,
    );
  for (const [i, a] of t.assignments.entries()) {
    const problem =
      manualAssignmentError(broker.metadata, a.brokerIds, replicationFactor) ??
      allFencedError(broker.metadata, a.brokerIds, current + i);
    if (problem) return apiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, problem);
  }
  return {
    name: t.name,
    count: t.count,
    additional,
    assignments: t.assignments.map((a) => [...a.brokerIds]),
  };
}

function apply(broker: BrokerContext, p: Plan): ApiError {
  try {
    addPartitions(broker, p.name, p.count, p.assignments);
    broker.log.info({ topic: p.name, partitions: p.count }, 'added partitions');
    return NO_ERROR;
  } catch (err) {
    broker.log.error({ err, topic: p.name }, 'adding partitions failed');
    return apiError(
      ErrorCode.KAFKA_STORAGE_ERROR,
      `Could not add partitions to ${p.name}: ${(err as Error).message}`,
    );
  }
}

export default defineHandler({
  apiKey: 37,
  minVersion: 0,
  maxVersion: 3,
  handle(req, ctx): CreatePartitionsResponse {
    const { broker } = ctx;
    const dup = duplicates(req.topics.map((t) => t.name));
    const outcomes = new Map<string, Plan | ApiError>();
    for (const t of req.topics) if (!dup.has(t.name)) outcomes.set(t.name, plan(broker, t));
    const plans = [...outcomes.values()].filter((o): o is Plan => 'additional' in o);
    if (plans.reduce((n, p) => n + p.additional, 0) > MAX_RECORDS_PER_USER_OP)
      for (const name of outcomes.keys()) outcomes.set(name, TOO_MANY_RECORDS);

    const results: CreatePartitionsTopicResult[] = [];
    for (const [name, o] of outcomes) {
      const e = !('additional' in o) ? o : req.validateOnly ? NO_ERROR : apply(broker, o);
      results.push({ name, ...e });
    }
    for (const name of dup)
      results.push({ name, ...apiError(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.') });
    return { throttleTimeMs: 0, results };
  },
});
