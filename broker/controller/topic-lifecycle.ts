/**
 * Topic changes that touch both the metadata image and this node's logs, in that order, so the
 * CreateTopics/DeleteTopics/CreatePartitions handlers and Metadata's auto-creation share one path.
 */
import { effectiveLogConfig } from '../log/topic-config';
import type { BrokerContext } from '../node-context';
import type { TopicState } from './metadata-image';

export function createTopic(
  broker: BrokerContext,
  name: string,
  numPartitions: number,
  replicationFactor: number,
  configs: Record<string, string> = {},
  assignments?: number[][],
): TopicState {
  const topic = broker.metadata.createTopic(name, numPartitions, replicationFactor, configs, assignments);
  broker.logs.createPartitions(
    name,
    topic.topicId,
    localPartitions(broker, topic),
    effectiveLogConfig(broker.config, configs),
  );
  return topic;
}

export function addPartitions(
  broker: BrokerContext,
  name: string,
  total: number,
  assignments?: number[][],
): void {
  broker.metadata.addPartitions(name, total, assignments);
  const topic = broker.metadata.topic(name)!;
  broker.logs.createPartitions(
    name,
    topic.topicId,
    localPartitions(broker, topic),
    effectiveLogConfig(broker.config, topic.configs),
  );
}

export function deleteTopic(broker: BrokerContext, name: string): TopicState | undefined {
  // The logs go even when saving the image throws (EMFILE, ENOSPC): the image has dropped the topic by
  // then, and the rollback of a creation that ran out of file descriptors must give the partitions'
  // descriptors back, or accept() fails with EMFILE from then on.
  try {
    return broker.metadata.deleteTopic(name);
  } finally {
    broker.logs.deleteTopic(name);
  }
}

export function setTopicConfigs(broker: BrokerContext, name: string, configs: Record<string, string>): void {
  broker.metadata.setTopicConfigs(name, configs);
  broker.logs.updateConfig(name, effectiveLogConfig(broker.config, configs));
}

function localPartitions(broker: BrokerContext, topic: TopicState): number[] {
  return topic.partitions.filter((p) => p.replicas.includes(broker.nodeId)).map((p) => p.partition);
}
