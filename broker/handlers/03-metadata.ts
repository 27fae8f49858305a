/**
 * Metadata (key 3), v0-v12: brokers, cluster id, controller id, and topics with partitions, leader,
 * leader epoch, replicas, ISR, offline replicas and topic ids. v0 "no topics" and v1+ null both mean
 * all topics; v10+ may name topics by id. Unknown topics are auto-created when the request allows it
 * (always before v4) and auto.create.topics.enable is on, never for internal topics. Authorized
 * operations (v8+, KIP-430) are reported as everything allowed until an authorizer exists.
 */
import { createTopic } from '../controller/topic-lifecycle';
import { topicNameError } from '../controller/topic-names';
import type { TopicState } from '../controller/metadata-image';
import { ErrorCode } from '../protocol/generated/errors';
import type {
  MetadataRequest,
  MetadataResponse,
  MetadataResponseTopic,
} from '../protocol/generated/metadata';
import { ZERO_UUID } from '../protocol/reader';
import type { BrokerContext } from '../node-context';
import { defineHandler } from './types';

const OMITTED = -2147483648;
const bits = (...ops: number[]) => ops.reduce((acc, op) => acc | (1 << op), 0);
// AclOperation codes: READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9,
// DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12, CREATE_TOKENS 13, DESCRIBE_TOKENS 14.
const TOPIC_OPS = bits(3, 4, 5, 6, 7, 8, 10, 11);
const CLUSTER_OPS = bits(5, 7, 8, 9, 10, 11, 12, 13, 14);

function describeTopic(broker: BrokerContext, t: TopicState, withOps: boolean): MetadataResponseTopic {
  const live = (id: number) => broker.metadata.brokers.get(id)?.fenced === false;
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.topicId,
    isInternal: broker.metadata.isInternal(t.name),
    partitions: t.partitions.map((p) => ({
      errorCode: live(p.leader) ? ErrorCode.NONE : ErrorCode.LEADER_NOT_AVAILABLE,
      partitionIndex: p.partition,
      leaderId: live(p.leader) ? p.leader : -1,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: p.offlineReplicas,
    })),
    topicAuthorizedOperations: withOps ? TOPIC_OPS : OMITTED,
  };
}

const failed = (errorCode: number, name: string | null, topicId = ZERO_UUID): MetadataResponseTopic => ({
  errorCode,
  name,
  topicId,
  partitions: [],
});

function lookupOrCreate(
  broker: BrokerContext,
  name: string,
  allowCreate: boolean,
  withOps: boolean,
): MetadataResponseTopic {
  const existing = broker.metadata.topic(name);
  if (existing) return describeTopic(broker, existing, withOps);
  if (topicNameError(name)) return failed(ErrorCode.INVALID_TOPIC_EXCEPTION, name);
  const { config, metadata } = broker;
  if (!allowCreate || !config.autoCreateTopicsEnable || metadata.isInternal(name))
    return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name);
  if (metadata.collidingTopic(name)) return failed(ErrorCode.INVALID_TOPIC_EXCEPTION, name);
  const liveBrokers = [...metadata.brokers.values()].filter((b) => !b.fenced).length;
  if (config.defaultReplicationFactor > liveBrokers)
    return failed(ErrorCode.INVALID_REPLICATION_FACTOR, name);
  const created = createTopic(broker, name, config.numPartitions, config.defaultReplicationFactor);
  broker.log.info({ topic: name, partitions: config.numPartitions }, 'auto-created topic');
  return describeTopic(broker, created, withOps);
}

function topicsFor(req: MetadataRequest, v: number, broker: BrokerContext): MetadataResponseTopic[] {
  const withOps = v >= 8 && req.includeTopicAuthorizedOperations === true;
  if (req.topics === null || (v === 0 && req.topics.length === 0)) {
    return [...broker.metadata.allTopics()].map((t) => describeTopic(broker, t, withOps));
  }
  // MetadataRequest.json: "Versions 10 and 11 should not use the topicId field or set topic name to
  // null"; Kafka (KafkaApis.handleTopicMetadataRequest) answers every topic with INVALID_REQUEST then.
  if (v < 12 && req.topics.some((t) => t.name == null || (t.topicId ?? ZERO_UUID) !== ZERO_UUID)) {
    return req.topics.map((t) => failed(ErrorCode.INVALID_REQUEST, t.name ?? ''));
  }
  const allowCreate = v < 4 || req.allowAutoTopicCreation !== false;
  const out: MetadataResponseTopic[] = [];
  const seen = new Set<string>();
  for (const t of req.topics) {
    if (t.name === null || t.name === undefined) {
      const id = t.topicId ?? ZERO_UUID;
      const byId = id === ZERO_UUID ? undefined : broker.metadata.topicById(id);
      out.push(byId ? describeTopic(broker, byId, withOps) : failed(ErrorCode.UNKNOWN_TOPIC_ID, null, id));
      continue;
    }
    if (seen.has(t.name)) continue;
    seen.add(t.name);
    out.push(lookupOrCreate(broker, t.name, allowCreate, withOps));
  }
  return out;
}

export default defineHandler({
  apiKey: 3,
  minVersion: 0,
  maxVersion: 12,
  handle(req, ctx): MetadataResponse {
    const { broker, apiVersion: v } = ctx;
    return {
      throttleTimeMs: 0,
      brokers: [...broker.metadata.brokers.values()]
        .filter((b) => !b.fenced)
        .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
      clusterId: broker.clusterId,
      controllerId: broker.metadata.controllerId,
      topics: topicsFor(req, v, broker),
      clusterAuthorizedOperations: req.includeClusterAuthorizedOperations ? CLUSTER_OPS : OMITTED,
    };
  },
});
