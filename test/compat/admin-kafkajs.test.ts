/**
 * kafkajs Admin topic administration against a real broker: createTopics (CreateTopics v3, with
 * validateOnly and config entries), createPartitions (v1), deleteTopics (v1), describeConfigs (v2) for a
 * topic and for the broker, alterConfigs (v1), and the errors kafkajs surfaces for refused requests.
 */
import { ConfigResourceTypes, ConfigSource, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';

let broker: TestBroker;
let admin: Admin;

beforeAll(async () => {
  broker = await withBroker();
  const kafka = new Kafka({
    clientId: 'compat-admin-kafkajs',
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

const topicConfigs = async (topic: string, configNames?: string[]) => {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames }],
  });
  return new Map(resources[0].configEntries.map((e) => [e.configName, e]));
};

describe('kafkajs admin: topics', () => {
  it('creates a topic with partitions and config entries; a second create reports it exists', async () => {
    const created = await admin.createTopics({
      topics: [
        { topic: 'kjs-orders', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '60000' }] },
      ],
    });
    expect(created).toBe(true);
    expect(await admin.listTopics()).toContain('kjs-orders');
    const { topics } = await admin.fetchTopicMetadata({ topics: ['kjs-orders'] });
    expect(topics[0].partitions).toHaveLength(3);
    expect(await admin.createTopics({ topics: [{ topic: 'kjs-orders' }] })).toBe(false);
  });

  it('validateOnly creates nothing', async () => {
    await admin.createTopics({
      validateOnly: true,
      waitForLeaders: false,
      topics: [{ topic: 'kjs-dry-run' }],
    });
    expect(await admin.listTopics()).not.toContain('kjs-dry-run');
  });

  it('surfaces refusals as typed errors', async () => {
    const bad = admin.createTopics({ topics: [{ topic: 'kjs-bad', replicationFactor: 3 }] });
    await expect(bad).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
    });
    const badConfig = admin.createTopics({
      topics: [{ topic: 'kjs-bad-config', configEntries: [{ name: 'cleanup.policy', value: 'forever' }] }],
    });
    await expect(badConfig).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_CONFIG' })],
    });
    // Retriable in Kafka's table, so kafkajs wraps it once its (zero) retries are spent.
    await expect(admin.deleteTopics({ topics: ['kjs-never-created'] })).rejects.toMatchObject({
      cause: expect.objectContaining({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3 }),
    });
  });

  it('adds partitions and refuses to shrink', async () => {
    await admin.createPartitions({ topicPartitions: [{ topic: 'kjs-orders', count: 5 }] });
    const { topics } = await admin.fetchTopicMetadata({ topics: ['kjs-orders'] });
    expect(topics[0].partitions).toHaveLength(5);
    await expect(
      admin.createPartitions({ topicPartitions: [{ topic: 'kjs-orders', count: 2 }] }),
    ).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
  });

  it('deletes a topic', async () => {
    await admin.createTopics({ topics: [{ topic: 'kjs-doomed' }] });
    await admin.deleteTopics({ topics: ['kjs-doomed'] });
    expect(await admin.listTopics()).not.toContain('kjs-doomed');
  });
});

describe('kafkajs admin: configs', () => {
  it('describes topic configs with their source', async () => {
    const entries = await topicConfigs('kjs-orders');
    expect(entries.get('retention.ms')).toMatchObject({
      configValue: '60000',
      configSource: ConfigSource.TOPIC_CONFIG,
      isDefault: false,
      readOnly: false,
    });
    expect(entries.get('cleanup.policy')).toMatchObject({
      configValue: 'delete',
      configSource: ConfigSource.DEFAULT_CONFIG,
    });
  });

  it('describes the broker', async () => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: true,
      resources: [
        { type: ConfigResourceTypes.BROKER, name: String(broker.nodeId), configNames: ['log.dirs'] },
      ],
    });
    expect(resources[0].configEntries).toEqual([
      expect.objectContaining({
        configName: 'log.dirs',
        configValue: broker.logDir,
        configSource: ConfigSource.STATIC_BROKER_CONFIG,
        readOnly: true,
      }),
    ]);
  });

  it('alters topic configs (the legacy API replaces the override set)', async () => {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'kjs-orders',
          configEntries: [{ name: 'max.message.bytes', value: '4096' }],
        },
      ],
    });
    const entries = await topicConfigs('kjs-orders', ['max.message.bytes', 'retention.ms']);
    expect(entries.get('max.message.bytes')).toMatchObject({
      configValue: '4096',
      configSource: ConfigSource.TOPIC_CONFIG,
    });
    expect(entries.get('retention.ms')).toMatchObject({ configSource: ConfigSource.DEFAULT_CONFIG });
    await expect(
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: 'kjs-orders',
            configEntries: [{ name: 'nope', value: '1' }],
          },
        ],
      }),
    ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
  });
});
