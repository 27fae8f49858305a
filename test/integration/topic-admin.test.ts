/**
 * Topic administration over the wire, with raw requests built by the generated codecs so every version
 * and every error code is visible (clients hide many): CreateTopics v0-7, DeleteTopics v0-6,
 * CreatePartitions v0-3 and DescribeLogDirs v0-4 against a real broker, plus persistence across a
 * restart. Config APIs are in topic-admin-configs.test.ts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from '../../broker/index';
import type {
  CreatableTopic,
  CreatableTopicResult,
  CreateTopicsResponse,
} from '../../broker/protocol/generated/create-topics';
import type { CreatePartitionsResponse } from '../../broker/protocol/generated/create-partitions';
import type { DeleteTopicsResponse } from '../../broker/protocol/generated/delete-topics';
import type { DescribeLogDirsResponse } from '../../broker/protocol/generated/describe-log-dirs';
import type { DescribeConfigsResponse } from '../../broker/protocol/generated/describe-configs';
import { ZERO_UUID } from '../../broker/protocol/reader';
import { withBroker, type TestBroker } from '../helpers/broker';
import { RawClient } from './raw-client';

const CREATE_TOPICS = 19;
const DELETE_TOPICS = 20;
const CREATE_PARTITIONS = 37;
const DESCRIBE_LOG_DIRS = 35;
const DESCRIBE_CONFIGS = 32;

const topic = (name: string, more: Partial<CreatableTopic> = {}): CreatableTopic => ({
  name,
  numPartitions: 1,
  replicationFactor: 1,
  assignments: [],
  configs: [],
  ...more,
});

async function createTopics(raw: RawClient, v: number, topics: CreatableTopic[], validateOnly = false) {
  const res = await raw.request<CreateTopicsResponse>(CREATE_TOPICS, v, {
    topics,
    timeoutMs: 5000,
    validateOnly,
  });
  return new Map(res.topics.map((t) => [t.name, t]));
}

async function topicIdOf(raw: RawClient, name: string): Promise<string | undefined> {
  const res = await raw.metadata(12, {
    topics: [{ name, topicId: ZERO_UUID }],
    allowAutoTopicCreation: false,
  });
  return res.topics[0].errorCode === 0 ? res.topics[0].topicId : undefined;
}

async function partitionCount(raw: RawClient, name: string): Promise<number> {
  const res = await raw.metadata(12, {
    topics: [{ name, topicId: ZERO_UUID }],
    allowAutoTopicCreation: false,
  });
  return res.topics[0].partitions.length;
}

const codeAndMessage = (r: CreatableTopicResult | undefined) => [r?.errorCode, r?.errorMessage];

let broker: TestBroker;
let raw: RawClient;

beforeAll(async () => {
  broker = await withBroker({ 'num.partitions': 3 });
  raw = await RawClient.connect(broker.port);
});
afterAll(async () => {
  raw?.destroy();
  await broker?.cleanup();
});

describe('CreateTopics', () => {
  it('creates topics at every version v0-v7, with the v5+ result fields and the v7 topic id', async () => {
    for (let v = 0; v <= 7; v++) {
      const name = `create-v${v}`;
      const [res] = (await createTopics(raw, v, [topic(name, { numPartitions: 2 })])).values();
      expect(res.errorCode, `v${v}`).toBe(0);
      if (v >= 5) {
        expect(res).toMatchObject({ numPartitions: 2, replicationFactor: 1 });
        const retention = res.configs!.find((c) => c.name === 'retention.ms');
        expect(retention).toEqual(
          expect.objectContaining({
            value: '604800000',
            configSource: 5,
            readOnly: false,
            isSensitive: false,
          }),
        );
      }
      if (v >= 7) expect(res.topicId).toBe(await topicIdOf(raw, name));
      expect(await partitionCount(raw, name)).toBe(2);
      for (const p of [0, 1]) expect(existsSync(path.join(broker.logDir, `${name}-${p}`))).toBe(true);
    }
  });

  it("refuses bad topics with Kafka's error codes and messages, creating none of them", async () => {
    await createTopics(raw, 7, [topic('col.lide')]);
    const res = await createTopics(raw, 7, [
      topic('bad name!'),
      topic('create-v7'),
      topic('col_lide'),
      topic('zero-partitions', { numPartitions: 0 }),
      topic('negative-partitions', { numPartitions: -2 }),
      topic('rf-too-high', { replicationFactor: 3 }),
      topic('rf-zero', { replicationFactor: 0 }),
      topic('bad-config', { configs: [{ name: 'retention.ms', value: 'abc' }] }),
      topic('unknown-config', { configs: [{ name: 'no.such.config', value: '1' }] }),
      topic('null-config', { configs: [{ name: 'retention.ms', value: null }] }),
      topic('twice'),
      topic('twice'),
      topic('__cluster_metadata'),
      topic('fine'),
    ]);
    expect(res.get('bad name!')?.errorCode).toBe(17);
    expect(res.get('bad name!')?.errorMessage).toContain('illegal');
    expect(codeAndMessage(res.get('create-v7'))).toEqual([36, "Topic 'create-v7' already exists."]);
    expect(codeAndMessage(res.get('col_lide'))).toEqual([
      17,
      "Topic 'col_lide' collides with existing topic: col.lide",
    ]);
    expect(res.get('zero-partitions')?.errorCode).toBe(37);
    expect(res.get('negative-partitions')?.errorCode).toBe(37);
    expect(codeAndMessage(res.get('rf-too-high'))).toEqual([
      38,
      'Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered.',
    ]);
    expect(res.get('rf-zero')?.errorCode).toBe(38);
    expect(codeAndMessage(res.get('bad-config'))).toEqual([
      40,
      'Invalid value abc for configuration retention.ms: Not a number of type LONG',
    ]);
    expect(codeAndMessage(res.get('unknown-config'))).toEqual([
      40,
      'Unknown topic config name: no.such.config',
    ]);
    expect(codeAndMessage(res.get('null-config'))).toEqual([
      40,
      'Null value not supported for topic configs: retention.ms',
    ]);
    expect(codeAndMessage(res.get('twice'))).toEqual([42, 'Duplicate topic name.']);
    expect(res.get('__cluster_metadata')?.errorCode).toBe(42);
    expect(res.get('fine')?.errorCode).toBe(0);
    expect(res.get('rf-too-high')).toMatchObject({ numPartitions: -1, replicationFactor: -1, configs: [] });
    for (const name of ['bad-config', 'rf-too-high', 'zero-partitions', 'twice', 'col_lide'])
      expect(await topicIdOf(raw, name), name).toBeUndefined();
  });

  it('-1 takes num.partitions and default.replication.factor (KIP-464)', async () => {
    const [res] = (
      await createTopics(raw, 5, [topic('defaults', { numPartitions: -1, replicationFactor: -1 })])
    ).values();
    expect(res).toMatchObject({ errorCode: 0, numPartitions: 3, replicationFactor: 1 });
    expect(await partitionCount(raw, 'defaults')).toBe(3);
  });

  it('takes manual replica assignments and refuses bad ones', async () => {
    const assign = (...lists: [number, number[]][]) =>
      lists.map(([partitionIndex, brokerIds]) => ({ partitionIndex, brokerIds }));
    const manual = (
      name: string,
      assignments: CreatableTopic['assignments'],
      more: Partial<CreatableTopic> = {},
    ) => topic(name, { numPartitions: -1, replicationFactor: -1, assignments, ...more });
    const res = await createTopics(raw, 7, [
      manual('manual-ok', assign([1, [1]], [0, [1]])),
      manual('manual-rf-set', assign([0, [1]]), { replicationFactor: 1 }),
      manual('manual-count-set', assign([0, [1]]), { numPartitions: 1 }),
      manual('manual-gap', assign([0, [1]], [2, [1]])),
      manual('manual-unknown-broker', assign([0, [7]])),
      manual('manual-broker-twice', assign([0, [1, 1]])),
      manual('manual-partition-twice', assign([0, [1]], [0, [1]])),
      manual('manual-empty', assign([0, []])),
    ]);
    expect(res.get('manual-ok')).toMatchObject({ errorCode: 0, numPartitions: 2, replicationFactor: 1 });
    expect(await partitionCount(raw, 'manual-ok')).toBe(2);
    expect(res.get('manual-rf-set')?.errorCode).toBe(42);
    expect(res.get('manual-count-set')?.errorCode).toBe(42);
    expect(codeAndMessage(res.get('manual-gap'))).toEqual([
      39,
      'partitions should be a consecutive 0-based integer sequence',
    ]);
    expect(codeAndMessage(res.get('manual-unknown-broker'))).toEqual([
      39,
      'The manual partition assignment includes broker 7, but no such broker is registered.',
    ]);
    expect(res.get('manual-broker-twice')?.errorCode).toBe(39);
    expect(res.get('manual-partition-twice')?.errorCode).toBe(39);
    expect(res.get('manual-empty')?.errorCode).toBe(39);
  });

  it('validateOnly checks everything and creates nothing (v1, v5, v7)', async () => {
    for (const v of [1, 5, 7]) {
      const res = await createTopics(
        raw,
        v,
        [
          topic(`validate-v${v}`, { numPartitions: 4, configs: [{ name: 'retention.ms', value: '1000' }] }),
          topic('create-v0'),
        ],
        true,
      );
      expect(res.get(`validate-v${v}`)?.errorCode).toBe(0);
      expect(res.get('create-v0')?.errorCode).toBe(36);
      if (v >= 5) {
        expect(res.get(`validate-v${v}`)).toMatchObject({
          numPartitions: 4,
          replicationFactor: 1,
          topicId: ZERO_UUID,
        });
        const retention = res.get(`validate-v${v}`)!.configs!.find((c) => c.name === 'retention.ms');
        expect(retention).toMatchObject({ value: '1000', configSource: 1 });
      }
      expect(await topicIdOf(raw, `validate-v${v}`)).toBeUndefined();
    }
  });

  it('refuses one request that would write over 10,000 metadata records with POLICY_VIOLATION', async () => {
    const res = await createTopics(raw, 7, [topic('huge', { numPartitions: 10_001 }), topic('small')]);
    expect(codeAndMessage(res.get('huge'))).toEqual([
      44,
      'Unable to perform excessively large batch operation.',
    ]);
    expect(res.get('small')?.errorCode).toBe(44);
    expect(await topicIdOf(raw, 'small')).toBeUndefined();
  });
});

describe('DeleteTopics', () => {
  it('deletes by name at v0-v5 and by id at v6, removing the partition dirs', async () => {
    for (let v = 0; v <= 6; v++) {
      const name = `delete-v${v}`;
      await createTopics(raw, 7, [topic(name, { numPartitions: 2 })]);
      const id = (await topicIdOf(raw, name))!;
      const body =
        v >= 6
          ? { topics: [{ name: null, topicId: id }], timeoutMs: 5000 }
          : { topicNames: [name], timeoutMs: 5000 };
      const res = await raw.request<DeleteTopicsResponse>(DELETE_TOPICS, v, body);
      expect(res.responses, `v${v}`).toEqual([expect.objectContaining({ name, errorCode: 0 })]);
      if (v >= 6) expect(res.responses[0].topicId).toBe(id);
      expect(await topicIdOf(raw, name)).toBeUndefined();
      expect(existsSync(path.join(broker.logDir, `${name}-0`))).toBe(false);
    }
  });

  it('answers unknown names and ids, duplicates and malformed entries per topic', async () => {
    await createTopics(raw, 7, [topic('delete-dup')]);
    const byName = await raw.request<DeleteTopicsResponse>(DELETE_TOPICS, 5, {
      topicNames: ['no-such-topic', 'delete-dup', 'delete-dup'],
      timeoutMs: 5000,
    });
    const byNameMap = new Map(byName.responses.map((r) => [r.name, r]));
    expect(byName.responses).toHaveLength(2);
    expect(byNameMap.get('no-such-topic')?.errorCode).toBe(3);
    expect(byNameMap.get('delete-dup')).toMatchObject({
      errorCode: 42,
      errorMessage: 'Duplicate topic name.',
    });
    expect(await topicIdOf(raw, 'delete-dup')).toBeDefined();

    const unknownId = 'AAAAAAAAAAAAAAAAAAAAAQ';
    const id = (await topicIdOf(raw, 'delete-dup'))!;
    const v6 = await raw.request<DeleteTopicsResponse>(DELETE_TOPICS, 6, {
      topics: [
        { name: null, topicId: unknownId },
        { name: null, topicId: ZERO_UUID },
        { name: 'delete-dup', topicId: id },
      ],
      timeoutMs: 5000,
    });
    expect(v6.responses).toEqual([
      expect.objectContaining({ name: null, topicId: unknownId, errorCode: 100 }),
      expect.objectContaining({ errorCode: 42, errorMessage: 'Neither topic name nor id were specified.' }),
      expect.objectContaining({
        errorCode: 42,
        errorMessage: 'You may not specify both topic name and topic id.',
      }),
    ]);
    expect(await topicIdOf(raw, 'delete-dup')).toBe(id);
  });

  it('with delete.topic.enable=false answers TOPIC_DELETION_DISABLED (INVALID_REQUEST before v3)', async () => {
    const locked = await withBroker({ 'delete.topic.enable': false });
    const client = await RawClient.connect(locked.port);
    try {
      await createTopics(client, 7, [topic('kept')]);
      const v5 = await client.request<DeleteTopicsResponse>(DELETE_TOPICS, 5, {
        topicNames: ['kept'],
        timeoutMs: 5000,
      });
      expect(v5.responses).toEqual([expect.objectContaining({ name: 'kept', errorCode: 73 })]);
      const v2 = await client.request<DeleteTopicsResponse>(DELETE_TOPICS, 2, {
        topicNames: ['kept'],
        timeoutMs: 5000,
      });
      expect(v2.responses).toEqual([expect.objectContaining({ name: 'kept', errorCode: 42 })]);
      expect(await topicIdOf(client, 'kept')).toBeDefined();
    } finally {
      client.destroy();
      await locked.cleanup();
    }
  });
});

describe('CreatePartitions', () => {
  const grow = (
    v: number,
    topics: { name: string; count: number; assignments?: number[][] | null }[],
    validateOnly = false,
  ) =>
    raw
      .request<CreatePartitionsResponse>(CREATE_PARTITIONS, v, {
        topics: topics.map((t) => ({
          name: t.name,
          count: t.count,
          assignments: t.assignments ? t.assignments.map((brokerIds) => ({ brokerIds })) : null,
        })),
        timeoutMs: 5000,
        validateOnly,
      })
      .then((r) => new Map(r.results.map((x) => [x.name, x])));

  it('adds partitions at v0-v3 and creates their logs', async () => {
    await createTopics(raw, 7, [topic('grow')]);
    for (let v = 0; v <= 3; v++) {
      const res = await grow(v, [{ name: 'grow', count: v + 2 }]);
      expect(res.get('grow'), `v${v}`).toMatchObject({ errorCode: 0, errorMessage: null });
      expect(await partitionCount(raw, 'grow')).toBe(v + 2);
      expect(existsSync(path.join(broker.logDir, `grow-${v + 1}`))).toBe(true);
    }
    const manual = await grow(3, [{ name: 'grow', count: 7, assignments: [[1], [1]] }]);
    expect(manual.get('grow')?.errorCode).toBe(0);
    expect(await partitionCount(raw, 'grow')).toBe(7);
  });

  it('never shrinks and checks assignments', async () => {
    await createTopics(raw, 7, [topic('fixed', { numPartitions: 2 })]);
    const res = await grow(3, [
      { name: 'fixed', count: 2 },
      { name: 'no-such-topic', count: 3 },
    ]);
    expect(res.get('fixed')).toMatchObject({
      errorCode: 37,
      errorMessage: 'Topic already has 2 partition(s).',
    });
    expect(res.get('no-such-topic')?.errorCode).toBe(3);
    expect((await grow(3, [{ name: 'fixed', count: 1 }])).get('fixed')).toMatchObject({
      errorCode: 37,
      errorMessage: 'The topic fixed currently has 2 partition(s); 1 would not be an increase.',
    });
    expect((await grow(3, [{ name: 'fixed', count: 4, assignments: [[1]] }])).get('fixed')).toMatchObject({
      errorCode: 39,
      errorMessage: 'Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.',
    });
    expect((await grow(3, [{ name: 'fixed', count: 3, assignments: [[5]] }])).get('fixed')?.errorCode).toBe(
      39,
    );
    expect(
      (await grow(3, [{ name: 'fixed', count: 3, assignments: [[1, 1]] }])).get('fixed')?.errorCode,
    ).toBe(39);
    const twice = await grow(3, [
      { name: 'fixed', count: 3 },
      { name: 'fixed', count: 4 },
    ]);
    expect(twice.get('fixed')).toMatchObject({ errorCode: 42, errorMessage: 'Duplicate topic name.' });
    expect((await grow(3, [{ name: 'fixed', count: 5 }], true)).get('fixed')?.errorCode).toBe(0);
    expect(await partitionCount(raw, 'fixed')).toBe(2);
  });
});

describe('DescribeLogDirs', () => {
  const logSize = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);

  it('reports the log dir, its partitions with their on-disk size, and (v4) the volume', async () => {
    await createTopics(raw, 7, [topic('dirs', { numPartitions: 2 })]);
    for (let v = 0; v <= 4; v++) {
      const res = await raw.request<DescribeLogDirsResponse>(DESCRIBE_LOG_DIRS, v, { topics: null });
      expect(res.results, `v${v}`).toHaveLength(1);
      const [dir] = res.results;
      expect(dir).toMatchObject({ errorCode: 0, logDir: path.resolve(broker.logDir) });
      const dirs = dir.topics.find((t) => t.name === 'dirs')!;
      expect(dirs.partitions.map((p) => p.partitionIndex).sort()).toEqual([0, 1]);
      for (const p of dirs.partitions) {
        expect(p).toMatchObject({ offsetLag: 0n, isFutureKey: false });
        expect(p.partitionSize).toBe(BigInt(logSize(path.join(broker.logDir, `dirs-${p.partitionIndex}`))));
      }
      if (v >= 4) {
        expect(dir.totalBytes!).toBeGreaterThan(0n);
        expect(dir.usableBytes!).toBeGreaterThan(0n);
        expect(dir.usableBytes!).toBeLessThanOrEqual(dir.totalBytes!);
      }
    }
  });

  it('counts produced data in the partition size', async (ctx) => {
    const { apiKeys } = await raw.apiVersions();
    if (!apiKeys.some((a) => a.apiKey === 0)) return ctx.skip(); // until Produce is served
    const producer = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    try {
      await producer.send({
        topic: 'dirs',
        acks: 1,
        messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `value-${i}` })),
      });
    } finally {
      await producer.disconnect();
    }
    const res = await raw.request<DescribeLogDirsResponse>(DESCRIBE_LOG_DIRS, 4, {
      topics: [{ topic: 'dirs', partitions: [0] }],
    });
    const [p0] = res.results[0].topics[0].partitions;
    expect(p0.partitionSize).toBeGreaterThan(0n);
    expect(p0.partitionSize).toBe(BigInt(logSize(path.join(broker.logDir, 'dirs-0'))));
  });

  it('filters by topic and partition', async () => {
    const res = await raw.request<DescribeLogDirsResponse>(DESCRIBE_LOG_DIRS, 4, {
      topics: [
        { topic: 'dirs', partitions: [1] },
        { topic: 'no-such-topic', partitions: [0] },
      ],
    });
    expect(res.results[0].topics).toEqual([
      expect.objectContaining({ name: 'dirs', partitions: [expect.objectContaining({ partitionIndex: 1 })] }),
    ]);
  });
});

describe('persistence', () => {
  it('topics, partitions and config overrides survive a broker restart', async () => {
    const logDir = await mkdtemp(path.join(tmpdir(), 'kbroker-admin-'));
    const overrides = {
      listeners: 'PLAINTEXT://127.0.0.1:0',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:0',
      'log.dirs': logDir,
      'node.id': 1,
    };
    try {
      let handle = await startBroker({ overrides });
      let client = await RawClient.connect(handle.port);
      let id: string | undefined;
      try {
        await createTopics(client, 7, [
          topic('kept', { numPartitions: 2, configs: [{ name: 'retention.ms', value: '12345' }] }),
          topic('gone'),
        ]);
        await client.request(CREATE_PARTITIONS, 3, {
          topics: [{ name: 'kept', count: 3, assignments: null }],
          timeoutMs: 5000,
          validateOnly: false,
        });
        await client.request(DELETE_TOPICS, 5, { topicNames: ['gone'], timeoutMs: 5000 });
        id = await topicIdOf(client, 'kept');
      } finally {
        client.destroy();
        await handle.stop();
      }
      handle = await startBroker({ overrides });
      client = await RawClient.connect(handle.port);
      try {
        expect(await topicIdOf(client, 'kept')).toBe(id);
        expect(await partitionCount(client, 'kept')).toBe(3);
        expect(await topicIdOf(client, 'gone')).toBeUndefined();
        const res = await client.request<DescribeConfigsResponse>(DESCRIBE_CONFIGS, 4, {
          resources: [{ resourceType: 2, resourceName: 'kept', configurationKeys: ['retention.ms'] }],
          includeSynonyms: false,
          includeDocumentation: false,
        });
        expect(res.results[0].configs).toEqual([
          expect.objectContaining({ name: 'retention.ms', value: '12345', configSource: 1 }),
        ]);
      } finally {
        client.destroy();
        await handle.stop();
      }
    } finally {
      await rm(logDir, { recursive: true, force: true });
    }
  });
});
