/**
 * DescribeConfigs v0-4, AlterConfigs v0-2 and IncrementalAlterConfigs v0-1 over the wire with raw
 * requests: sources (DEFAULT_CONFIG, STATIC_BROKER_CONFIG, DYNAMIC_TOPIC_CONFIG), synonyms, docs and
 * types, and Kafka's error codes for bad values, unknown keys, unknown topics and broker resources.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlterConfigsResponse } from '../../broker/protocol/generated/alter-configs';
import type { CreateTopicsResponse } from '../../broker/protocol/generated/create-topics';
import type {
  DescribeConfigsResourceResult,
  DescribeConfigsResponse,
  DescribeConfigsResult,
} from '../../broker/protocol/generated/describe-configs';
import type { IncrementalAlterConfigsResponse } from '../../broker/protocol/generated/incremental-alter-configs';
import { withBroker, type TestBroker } from '../helpers/broker';
import { RawClient } from './raw-client';

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
const [SET, DELETE, APPEND, SUBTRACT] = [0, 1, 2, 3];

let broker: TestBroker;
let raw: RawClient;

async function describeConfigs(
  v: number,
  resources: { type: number; name: string; keys?: string[] | null }[],
  opts: { synonyms?: boolean; docs?: boolean } = {},
): Promise<DescribeConfigsResult[]> {
  const res = await raw.request<DescribeConfigsResponse>(32, v, {
    resources: resources.map((r) => ({
      resourceType: r.type,
      resourceName: r.name,
      configurationKeys: r.keys ?? null,
    })),
    includeSynonyms: opts.synonyms ?? false,
    includeDocumentation: opts.docs ?? false,
  });
  return res.results;
}

async function topicConfig(name: string, key: string): Promise<DescribeConfigsResourceResult> {
  const [r] = await describeConfigs(4, [{ type: TOPIC, name, keys: [key] }]);
  expect(r.errorCode).toBe(0);
  return r.configs[0];
}

const legacyAlter = (v: number, name: string, configs: Record<string, string | null>, validateOnly = false) =>
  raw.request<AlterConfigsResponse>(33, v, {
    resources: [
      {
        resourceType: TOPIC,
        resourceName: name,
        configs: Object.entries(configs).map(([k, value]) => ({ name: k, value })),
      },
    ],
    validateOnly,
  });

const incrementalAlter = (
  v: number,
  resources: { type?: number; name: string; ops: [string, number, string | null][] }[],
  validateOnly = false,
) =>
  raw.request<IncrementalAlterConfigsResponse>(44, v, {
    resources: resources.map((r) => ({
      resourceType: r.type ?? TOPIC,
      resourceName: r.name,
      configs: r.ops.map(([name, configOperation, value]) => ({ name, configOperation, value })),
    })),
    validateOnly,
  });

beforeAll(async () => {
  // A static broker synonym of retention.ms, so STATIC_BROKER_CONFIG shows up.
  broker = await withBroker({ 'log.retention.hours': 100 });
  raw = await RawClient.connect(broker.port);
  const created = await raw.request<CreateTopicsResponse>(19, 7, {
    topics: ['cfg', 'alter', 'incr'].map((name) => ({
      name,
      numPartitions: 1,
      replicationFactor: 1,
      assignments: [],
      configs: name === 'cfg' ? [{ name: 'segment.ms', value: '60000' }] : [],
    })),
    timeoutMs: 5000,
    validateOnly: false,
  });
  expect(created.topics.map((t) => t.errorCode)).toEqual([0, 0, 0]);
});
afterAll(async () => {
  raw?.destroy();
  await broker?.cleanup();
});

describe('DescribeConfigs', () => {
  it('describes a topic at v0-v4 with each key source, type and (v3+) documentation', async () => {
    for (let v = 0; v <= 4; v++) {
      const [r] = await describeConfigs(v, [{ type: TOPIC, name: 'cfg' }], { synonyms: true, docs: true });
      expect(r, `v${v}`).toMatchObject({
        errorCode: 0,
        errorMessage: null,
        resourceType: TOPIC,
        resourceName: 'cfg',
      });
      const byName = new Map(r.configs.map((c) => [c.name, c]));
      expect(byName.size).toBeGreaterThan(25);
      const segmentMs = byName.get('segment.ms')!;
      const retention = byName.get('retention.ms')!;
      const policy = byName.get('cleanup.policy')!;
      expect(segmentMs).toMatchObject({ value: '60000', readOnly: false, isSensitive: false });
      expect(retention.value).toBe(String(100 * 3_600_000));
      if (v === 0) {
        expect(segmentMs.isDefault).toBe(false);
        expect(policy.isDefault).toBe(true);
      } else {
        expect(segmentMs.configSource).toBe(1);
        expect(retention.configSource).toBe(4);
        expect(policy.configSource).toBe(5);
        expect(segmentMs.synonyms).toEqual([
          { name: 'segment.ms', value: '60000', source: 1 },
          { name: 'log.roll.hours', value: '168', source: 5 },
        ]);
        expect(retention.synonyms).toEqual([
          { name: 'log.retention.hours', value: '100', source: 4 },
          { name: 'log.retention.hours', value: '168', source: 5 },
        ]);
      }
      if (v >= 3) {
        expect(retention.configType).toBe(5); // LONG
        expect(policy.configType).toBe(7); // LIST
        expect(retention.documentation).toEqual(expect.any(String));
      }
    }
  });

  it('leaves synonyms and documentation out unless asked, and filters keys', async () => {
    const [r] = await describeConfigs(4, [{ type: TOPIC, name: 'cfg', keys: ['segment.ms', 'no.such.key'] }]);
    expect(r.configs).toEqual([
      expect.objectContaining({ name: 'segment.ms', synonyms: [], documentation: null, configSource: 1 }),
    ]);
    const [all] = await describeConfigs(4, [{ type: TOPIC, name: 'cfg', keys: [] }]);
    expect(all.configs.length).toBeGreaterThan(25);
  });

  it('describes this broker (read-only, static vs default) and refuses other broker ids', async () => {
    const results = await describeConfigs(
      4,
      [
        { type: BROKER, name: String(broker.nodeId) },
        { type: BROKER, name: '' },
        { type: BROKER, name: '2' },
        { type: BROKER, name: 'x' },
        { type: BROKER_LOGGER, name: String(broker.nodeId) },
        { type: TOPIC, name: 'no-such-topic' },
        { type: TOPIC, name: 'bad name!' },
        { type: 99, name: 'what' },
      ],
      { synonyms: true },
    );
    const [self, cluster, other, notInt, logger, unknownTopic, badName, badType] = results;
    const byName = new Map(self.configs.map((c) => [c.name, c]));
    expect(byName.get('log.retention.hours')).toMatchObject({
      value: '100',
      configSource: 4,
      readOnly: true,
      synonyms: [
        { name: 'log.retention.hours', value: '100', source: 4 },
        { name: 'log.retention.hours', value: '168', source: 5 },
      ],
    });
    expect(byName.get('num.partitions')).toMatchObject({ value: '1', configSource: 5 });
    expect(cluster).toMatchObject({ errorCode: 0, configs: [] });
    expect(other).toMatchObject({ errorCode: 42, configs: [] });
    expect(other.errorMessage).toContain('Unexpected broker id');
    expect(notInt.errorCode).toBe(42);
    expect(logger.configs).toEqual([expect.objectContaining({ name: 'root', configSource: 6 })]);
    expect(unknownTopic.errorCode).toBe(3);
    expect(badName.errorCode).toBe(17);
    expect(badType.errorCode).toBe(42);
  });
});

describe('AlterConfigs (legacy)', () => {
  it('replaces the whole override set at v0-v2', async () => {
    for (let v = 0; v <= 2; v++) {
      const set = await legacyAlter(v, 'alter', {
        'retention.ms': String(1000 + v),
        'cleanup.policy': 'compact',
      });
      expect(set.responses, `v${v}`).toEqual([
        expect.objectContaining({
          errorCode: 0,
          errorMessage: null,
          resourceType: TOPIC,
          resourceName: 'alter',
        }),
      ]);
      expect(await topicConfig('alter', 'retention.ms')).toMatchObject({
        value: String(1000 + v),
        configSource: 1,
      });
      expect(await topicConfig('alter', 'cleanup.policy')).toMatchObject({
        value: 'compact',
        configSource: 1,
      });
    }
    expect((await legacyAlter(2, 'alter', { 'segment.ms': '5000' })).responses[0].errorCode).toBe(0);
    expect(await topicConfig('alter', 'retention.ms')).toMatchObject({ value: '360000000', configSource: 4 });
    expect(await topicConfig('alter', 'cleanup.policy')).toMatchObject({ value: 'delete', configSource: 5 });
    expect(await topicConfig('alter', 'segment.ms')).toMatchObject({ value: '5000', configSource: 1 });
  });

  it("answers bad values, unknown keys and unknown topics with Kafka's codes", async () => {
    const bad = await legacyAlter(2, 'alter', { 'segment.bytes': '10' });
    expect(bad.responses[0]).toMatchObject({
      errorCode: 40,
      errorMessage: 'Invalid value 10 for configuration segment.bytes: Value must be at least 14',
    });
    const unknown = await legacyAlter(2, 'alter', { 'no.such.key': '1' });
    expect(unknown.responses[0]).toMatchObject({
      errorCode: 40,
      errorMessage: 'Unknown topic config name: no.such.key',
    });
    const missing = await legacyAlter(2, 'no-such-topic', { 'retention.ms': '1' });
    expect(missing.responses[0]).toMatchObject({
      errorCode: 3,
      errorMessage: "The topic 'no-such-topic' does not exist.",
    });
    const validateOnly = await legacyAlter(2, 'alter', { 'retention.ms': '777' }, true);
    expect(validateOnly.responses[0].errorCode).toBe(0);
    expect(await topicConfig('alter', 'segment.ms')).toMatchObject({ value: '5000', configSource: 1 });
    expect(await topicConfig('alter', 'retention.ms')).toMatchObject({ configSource: 4 });
  });

  it('refuses broker changes (no dynamic broker configs yet) and duplicate resources', async () => {
    const res = await raw.request<AlterConfigsResponse>(33, 2, {
      resources: [
        {
          resourceType: BROKER,
          resourceName: String(broker.nodeId),
          configs: [{ name: 'log.retention.hours', value: '1' }],
        },
        { resourceType: BROKER, resourceName: '', configs: [] },
        { resourceType: TOPIC, resourceName: 'alter', configs: [] },
        { resourceType: TOPIC, resourceName: 'alter', configs: [] },
      ],
      validateOnly: false,
    });
    expect(res.responses.map((r) => r.errorCode)).toEqual([42, 0, 42, 42]);
    expect(res.responses[0].errorMessage).toContain('not supported');
    expect(res.responses[2].errorMessage).toBe('Each resource must appear at most once.');
  });
});

describe('IncrementalAlterConfigs', () => {
  it('SETs, DELETEs, APPENDs and SUBTRACTs at v0-v1', async () => {
    for (let v = 0; v <= 1; v++) {
      const set = await incrementalAlter(v, [
        {
          name: 'incr',
          ops: [
            ['retention.ms', SET, '5000'],
            ['max.message.bytes', SET, '2048'],
          ],
        },
      ]);
      expect(set.responses, `v${v}`).toEqual([
        expect.objectContaining({ errorCode: 0, resourceName: 'incr' }),
      ]);
      expect(await topicConfig('incr', 'retention.ms')).toMatchObject({ value: '5000', configSource: 1 });

      const append = await incrementalAlter(v, [
        { name: 'incr', ops: [['cleanup.policy', APPEND, 'compact']] },
      ]);
      expect(append.responses[0].errorCode).toBe(0);
      expect(await topicConfig('incr', 'cleanup.policy')).toMatchObject({
        value: 'delete,compact',
        configSource: 1,
      });

      const subtract = await incrementalAlter(v, [
        {
          name: 'incr',
          ops: [
            ['cleanup.policy', SUBTRACT, 'delete'],
            ['retention.ms', DELETE, null],
          ],
        },
      ]);
      expect(subtract.responses[0].errorCode).toBe(0);
      expect(await topicConfig('incr', 'cleanup.policy')).toMatchObject({ value: 'compact' });
      expect(await topicConfig('incr', 'retention.ms')).toMatchObject({ configSource: 4 });
      expect(await topicConfig('incr', 'max.message.bytes')).toMatchObject({
        value: '2048',
        configSource: 1,
      });
      await incrementalAlter(v, [{ name: 'incr', ops: [['cleanup.policy', DELETE, null]] }]);
    }
  });

  it("answers bad operations with Kafka's codes and changes nothing", async () => {
    const res = await incrementalAlter(1, [
      { name: 'incr', ops: [['retention.ms', APPEND, '1']] },
      { name: 'no-such-topic', ops: [['retention.ms', SET, '1']] },
      { name: 'incr-null', ops: [['retention.ms', SET, null]] },
      {
        name: 'incr-dup-keys',
        ops: [
          ['retention.ms', SET, '1'],
          ['retention.ms', SET, '2'],
        ],
      },
      { name: 'incr-bad-op', ops: [['retention.ms', 9, '1']] },
      { name: 'incr-bad-value', ops: [['min.insync.replicas', SET, '0']] },
      { type: BROKER, name: String(broker.nodeId), ops: [['num.io.threads', SET, '4']] },
      { type: BROKER, name: '7', ops: [] },
    ]);
    expect(res.responses.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['incr', 40],
      ['no-such-topic', 3],
      ['incr-null', 42],
      ['incr-dup-keys', 42],
      ['incr-bad-op', 42],
      ['incr-bad-value', 40],
      [String(broker.nodeId), 42],
      ['7', 42],
    ]);
    expect(res.responses[0].errorMessage).toBe(
      "Can't APPEND to key retention.ms because its type is not LIST.",
    );
    const validateOnly = await incrementalAlter(
      1,
      [{ name: 'incr', ops: [['retention.ms', SET, '1']] }],
      true,
    );
    expect(validateOnly.responses[0].errorCode).toBe(0);
    expect(await topicConfig('incr', 'retention.ms')).toMatchObject({ configSource: 4 });
  });
});
