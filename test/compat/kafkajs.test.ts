/**
 * kafkajs Admin against a real broker: connect (ApiVersions), describeCluster, listTopics and
 * fetchTopicMetadata (Metadata v6). kafkajs's admin never auto-creates topics, so the topic is created
 * first with a raw Metadata request that allows it.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import { RawClient } from '../integration/raw-client';

const TOPIC = 'kafkajs-topic';
let broker: TestBroker;
let admin: Admin;

beforeAll(async () => {
  broker = await withBroker();
  const raw = await RawClient.connect(broker.port);
  try {
    await raw.metadata(4, { topics: [{ name: TOPIC }], allowAutoTopicCreation: true });
  } finally {
    raw.destroy();
  }
  const kafka = new Kafka({
    clientId: 'compat-kafkajs',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  await broker?.cleanup();
});

describe('kafkajs admin', () => {
  it('describeCluster: this broker, controller and cluster id', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.clusterId).toBe(broker.clusterId);
    expect(cluster.controller).toBe(broker.nodeId);
    expect(cluster.brokers).toEqual([{ nodeId: broker.nodeId, host: broker.host, port: broker.port }]);
  });

  it('listTopics lists the created topic', async () => {
    expect(await admin.listTopics()).toEqual([TOPIC]);
  });

  it('fetchTopicMetadata describes its partition', async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    expect(topics).toHaveLength(1);
    expect(topics[0].name).toBe(TOPIC);
    expect(topics[0].partitions).toEqual([
      expect.objectContaining({
        partitionErrorCode: 0,
        partitionId: 0,
        leader: broker.nodeId,
        replicas: [broker.nodeId],
        isr: [broker.nodeId],
        offlineReplicas: [],
      }),
    ]);
  });

  it('fetchTopicMetadata of an unknown topic fails and does not create it', async () => {
    await expect(admin.fetchTopicMetadata({ topics: ['kafkajs-missing'] })).rejects.toMatchObject({
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
    expect(await admin.listTopics()).not.toContain('kafkajs-missing');
  });
});
