/**
 * @platformatic/kafka Admin topic administration against a real broker, at the flexible versions it
 * negotiates (CreateTopics v7, CreatePartitions v3, DeleteTopics v6, DescribeConfigs v4,
 * IncrementalAlterConfigs v1, DescribeLogDirs v4): compact encodings and tagged fields with a real client.
 */
import {
  Admin,
  ConfigResourceTypes,
  ConfigSources,
  IncrementalAlterConfigOperationTypes,
} from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';

let broker: TestBroker;
let admin: Admin;

beforeAll(async () => {
  broker = await withBroker();
  admin = new Admin({
    clientId: 'compat-admin-platformatic',
    bootstrapBrokers: [broker.bootstrap],
    retries: 0,
  });
});
afterAll(async () => {
  await admin?.close();
  await broker?.cleanup();
});

async function topicConfig(name: string, key: string) {
  const [desc] = await admin.describeConfigs({
    resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name, configurationKeys: [key] }],
    includeSynonyms: true,
  });
  return desc.configs[0];
}

describe('@platformatic/kafka Admin: topic administration', () => {
  it('advertises the admin APIs at their full version ranges', async () => {
    const apis = await admin.listApis();
    const range = (key: number) => apis.find((a) => a.apiKey === key);
    expect(range(19)).toMatchObject({ minVersion: 0, maxVersion: 7 });
    expect(range(20)).toMatchObject({ minVersion: 0, maxVersion: 6 });
    expect(range(32)).toMatchObject({ minVersion: 0, maxVersion: 4 });
    expect(range(33)).toMatchObject({ minVersion: 0, maxVersion: 2 });
    expect(range(35)).toMatchObject({ minVersion: 0, maxVersion: 4 });
    expect(range(37)).toMatchObject({ minVersion: 0, maxVersion: 3 });
    expect(range(44)).toMatchObject({ minVersion: 0, maxVersion: 1 });
  });

  it('creates a topic and reports its id, partitions and effective configuration', async () => {
    const [created] = await admin.createTopics({
      topics: ['pf-events'],
      partitions: 2,
      replicas: 1,
      configs: [{ name: 'cleanup.policy', value: 'compact' }],
    });
    expect(created).toMatchObject({ name: 'pf-events', partitions: 2, replicas: 1 });
    expect(created.configuration['cleanup.policy']).toBe('compact');
    const md = await admin.metadata({ topics: ['pf-events'] });
    expect(md.topics.get('pf-events')?.id).toBe(created.id);
    await expect(admin.createTopics({ topics: ['pf-events'], partitions: 1, replicas: 1 })).rejects.toThrow();
  });

  it('alters configs incrementally and describes them with synonyms', async () => {
    await admin.incrementalAlterConfigs({
      resources: [
        {
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: 'pf-events',
          configs: [
            {
              name: 'retention.ms',
              configOperation: IncrementalAlterConfigOperationTypes.SET,
              value: '9000',
            },
            {
              name: 'cleanup.policy',
              configOperation: IncrementalAlterConfigOperationTypes.APPEND,
              value: 'delete',
            },
          ],
        },
      ],
    });
    expect(await topicConfig('pf-events', 'retention.ms')).toMatchObject({
      value: '9000',
      configSource: ConfigSources.TOPIC_CONFIG,
      synonyms: [
        { name: 'retention.ms', value: '9000', source: ConfigSources.TOPIC_CONFIG },
        { name: 'log.retention.hours', value: '168', source: ConfigSources.DEFAULT_CONFIG },
      ],
    });
    expect((await topicConfig('pf-events', 'cleanup.policy')).value).toBe('compact,delete');
  });

  it('adds partitions and describes the log dirs', async () => {
    // An empty (not null) assignment list must list every new partition, as Kafka checks.
    await expect(
      admin.createPartitions({ topics: [{ name: 'pf-events', count: 4, assignments: [] }] }),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          errors: [expect.objectContaining({ apiId: 'INVALID_REPLICA_ASSIGNMENT' })],
        }),
      ],
    });
    await admin.createPartitions({ topics: [{ name: 'pf-events', count: 4 }] });
    const [dirs] = await admin.describeLogDirs({ topics: [{ name: 'pf-events', partitions: [0, 1, 2, 3] }] });
    expect(dirs.broker).toBe(broker.nodeId);
    const topic = dirs.results[0].topics.find((t) => t.name === 'pf-events')!;
    expect(topic.partitions.map((p) => p.partitionIndex).sort()).toEqual([0, 1, 2, 3]);
  });

  it('deletes the topic', async () => {
    await admin.deleteTopics({ topics: ['pf-events'] });
    expect(await admin.listTopics()).not.toContain('pf-events');
  });
});
