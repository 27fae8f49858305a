/**
 * CreateTopics per-topic checks (ReplicationControlManager.createTopic and validateNewTopicNames) and
 * the creation itself, which goes through controller/topic-lifecycle so metadata and logs change together.
 */
import { createTopic, deleteTopic } from '../../controller/topic-lifecycle';
import { topicNameError } from '../../controller/topic-names';
import { validateTopicConfigs } from '../../log/topic-config';
import type { BrokerContext } from '../../node-context';
import type { CreatableTopic } from '../../protocol/generated/create-topics';
import { ErrorCode } from '../../protocol/generated/errors';
import { apiError, type ApiError } from './api-error';
import { allFencedError, manualAssignmentError, placementError } from './replica-assignment';

/** KRaft's own log; never a user topic (Topic.CLUSTER_METADATA_TOPIC_NAME). */
export const CLUSTER_METADATA_TOPIC = '__cluster_metadata';

export interface TopicPlan {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
  /** Replicas per partition when the request gave them. */
  assignments?: number[][];
}

export function planTopic(broker: BrokerContext, t: CreatableTopic): TopicPlan | ApiError {
  const { metadata, config } = broker;
  if (t.name === CLUSTER_METADATA_TOPIC)
    return apiError(
      ErrorCode.INVALID_REQUEST,
      `Creation of internal topic ${CLUSTER_METADATA_TOPIC} is prohibited.`,
    );
  const nameError = topicNameError(t.name);
  if (nameError) return apiError(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
  if (metadata.topic(t.name))
    return apiError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
  const colliding = metadata.collidingTopic(t.name);
  if (colliding)
    return apiError(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      `Topic '${t.name}' collides with existing topic: ${colliding}`,
    );

  const requested: Record<string, string | null> = {};
  for (const c of t.configs) requested[c.name] = c.value;
  const problem = validateTopicConfigs(requested, config);
  if (problem) return apiError(ErrorCode.INVALID_CONFIG, problem.message);
  const configs = requested as Record<string, string>;

  if (t.assignments.length > 0) return planManual(broker, t, configs);
  if (t.replicationFactor < -1 || t.replicationFactor === 0)
    return apiError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      'Replication factor must be larger than 0, or -1 to use the default value.',
    );
  if (t.numPartitions < -1 || t.numPartitions === 0)
    return apiError(
      ErrorCode.INVALID_PARTITIONS,
      'Number of partitions was set to an invalid non-positive value.',
    );
  const numPartitions = t.numPartitions === -1 ? config.numPartitions : t.numPartitions;
  const replicationFactor =
    t.replicationFactor === -1 ? config.defaultReplicationFactor : t.replicationFactor;
  const placement = placementError(metadata, replicationFactor);
  if (placement) return apiError(ErrorCode.INVALID_REPLICATION_FACTOR, placement);
  return { name: t.name, numPartitions, replicationFactor, configs };
}

function planManual(
  broker: BrokerContext,
  t: CreatableTopic,
  configs: Record<string, string>,
): TopicPlan | ApiError {
  const manual = 'A manual partition assignment was specified, but';
  if (t.replicationFactor !== -1)
    return apiError(ErrorCode.INVALID_REQUEST, `${manual} replication factor was not set to -1.`);
  if (t.numPartitions !== -1)
    return apiError(ErrorCode.INVALID_REQUEST, `${manual} numPartitions was not set to -1.`);
  const byIndex = new Map<number, number[]>();
  let replicationFactor: number | undefined;
  for (const a of t.assignments) {
    const problem = byIndex.has(a.partitionIndex)
      ? `Found multiple manual partition assignments for partition ${a.partitionIndex}`
      : (manualAssignmentError(broker.metadata, a.brokerIds, replicationFactor) ??
        allFencedError(broker.metadata, a.brokerIds, a.partitionIndex));
    if (problem) return apiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, problem);
    replicationFactor = a.brokerIds.length;
    byIndex.set(a.partitionIndex, [...a.brokerIds]);
  }
  const assignments: number[][] = [];
  for (let p = 0; p < byIndex.size; p++) {
    const replicas = byIndex.get(p);
    if (!replicas)
      return apiError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        'partitions should be a consecutive 0-based integer sequence',
      );
    assignments.push(replicas);
  }
  return {
    name: t.name,
    numPartitions: assignments.length,
    replicationFactor: replicationFactor!,
    configs,
    assignments,
  };
}

/** Creates the topic and its local logs; a failure leaves nothing behind and reports KAFKA_STORAGE_ERROR. */
export function createPlannedTopic(broker: BrokerContext, plan: TopicPlan): { topicId: string } | ApiError {
  try {
    const topic = createTopic(
      broker,
      plan.name,
      plan.numPartitions,
      plan.replicationFactor,
      plan.configs,
      plan.assignments,
    );
    broker.log.info(
      { topic: plan.name, partitions: plan.numPartitions, replicationFactor: plan.replicationFactor },
      'created topic',
    );
    return { topicId: topic.topicId };
  } catch (err) {
    broker.log.error({ err, topic: plan.name }, 'topic creation failed');
    try {
      if (broker.metadata.topic(plan.name)) deleteTopic(broker, plan.name);
    } catch (cleanupErr) {
      broker.log.error({ err: cleanupErr, topic: plan.name }, 'cleanup after failed topic creation failed');
    }
    return apiError(
      ErrorCode.KAFKA_STORAGE_ERROR,
      `Could not create topic ${plan.name}: ${(err as Error).message}`,
    );
  }
}
