import { describe, expect, it } from 'vitest';
import {
  TOPIC_CONFIG_DEFS,
  describeTopicConfigs,
  effectiveLogConfig,
  parseTopicConfigValue,
  topicConfigDef,
  validateTopicConfigs,
} from './topic-config';

const broker = (props: Record<string, string> = {}) => ({ staticProps: new Map(Object.entries(props)) });
const entry = (entries: ReturnType<typeof describeTopicConfigs>, name: string) =>
  entries.find((e) => e.name === name)!;

describe('topic config table', () => {
  it('every default passes its own parser and validator', () => {
    for (const def of TOPIC_CONFIG_DEFS) {
      expect(parseTopicConfigValue(def, def.default), def.name).not.toHaveProperty('error');
    }
  });

  it('lists Kafka 4.0 topic keys and nothing that Kafka removed', () => {
    const names = TOPIC_CONFIG_DEFS.map((d) => d.name);
    for (const k of [
      'retention.ms',
      'segment.bytes',
      'cleanup.policy',
      'min.insync.replicas',
      'local.retention.ms',
    ])
      expect(names).toContain(k);
    expect(names).not.toContain('message.format.version');
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('validateTopicConfigs', () => {
  it('accepts valid overrides', () => {
    expect(
      validateTopicConfigs({
        'retention.ms': '1000',
        'cleanup.policy': 'compact,delete',
        'min.cleanable.dirty.ratio': '0.1',
        'compression.type': 'zstd',
        'leader.replication.throttled.replicas': '0:1,1:2',
      }),
    ).toBeNull();
    expect(validateTopicConfigs({ 'follower.replication.throttled.replicas': '*' })).toBeNull();
  });

  it("reports unknown keys with Kafka's message", () => {
    expect(validateTopicConfigs({ 'retention.ms': '1', 'no.such.key': 'x' })).toEqual({
      key: 'no.such.key',
      message: 'Unknown topic config name: no.such.key',
    });
  });

  it('reports bad values naming the key, as ConfigException does', () => {
    expect(validateTopicConfigs({ 'retention.ms': 'abc' })).toEqual({
      key: 'retention.ms',
      message: 'Invalid value abc for configuration retention.ms: Not a number of type LONG',
    });
    expect(validateTopicConfigs({ 'segment.bytes': '13' })?.message).toBe(
      'Invalid value 13 for configuration segment.bytes: Value must be at least 14',
    );
    expect(validateTopicConfigs({ 'cleanup.policy': 'delete,forever' })?.message).toBe(
      'Invalid value delete,forever for configuration cleanup.policy: String must be one of: compact, delete',
    );
    expect(validateTopicConfigs({ 'message.timestamp.type': 'Now' })?.key).toBe('message.timestamp.type');
    expect(validateTopicConfigs({ 'min.insync.replicas': '0' })?.key).toBe('min.insync.replicas');
    expect(validateTopicConfigs({ 'compression.type': 'brotli' })?.key).toBe('compression.type');
    expect(validateTopicConfigs({ 'min.cleanable.dirty.ratio': '1.5' })?.message).toBe(
      'Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1',
    );
    expect(validateTopicConfigs({ preallocate: 'yes' })?.key).toBe('preallocate');
    expect(validateTopicConfigs({ 'segment.bytes': '4294967296' })?.message).toContain(
      'Not a number of type INT',
    );
    expect(validateTopicConfigs({ 'leader.replication.throttled.replicas': '0-1' })?.key).toBe(
      'leader.replication.throttled.replicas',
    );
  });

  it('refuses null values, tiered storage and crossed compaction lags', () => {
    expect(validateTopicConfigs({ 'retention.ms': null, 'segment.ms': null })?.message).toBe(
      'Null value not supported for topic configs: retention.ms,segment.ms',
    );
    expect(validateTopicConfigs({ 'remote.storage.enable': 'true' })?.message).toContain('Tiered Storage');
    expect(
      validateTopicConfigs({ 'min.compaction.lag.ms': '10', 'max.compaction.lag.ms': '5' })?.message,
    ).toBe('conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)');
  });
});

describe('effectiveLogConfig', () => {
  it("uses Kafka's defaults with a bare broker", () => {
    const c = effectiveLogConfig(broker(), {});
    expect(c).toMatchObject({
      segmentBytes: 1073741824,
      segmentMs: 604800000,
      retentionMs: 604800000,
      retentionBytes: -1,
      cleanupPolicy: ['delete'],
      maxMessageBytes: 1048588,
      messageTimestampType: 'CreateTime',
      minInsyncReplicas: 1,
      compressionType: 'producer',
      fileDeleteDelayMs: 60000,
      deleteRetentionMs: 86400000,
      minCleanableDirtyRatio: 0.5,
      preallocate: false,
      indexIntervalBytes: 4096,
      segmentIndexBytes: 10485760,
    });
    expect(c.flushMessages).toBeGreaterThan(2 ** 62);
  });

  it('takes broker synonyms in precedence order with unit conversion', () => {
    expect(effectiveLogConfig(broker({ 'log.retention.hours': '1' }), {}).retentionMs).toBe(3_600_000);
    expect(
      effectiveLogConfig(broker({ 'log.retention.minutes': '2', 'log.retention.hours': '1' }), {})
        .retentionMs,
    ).toBe(120_000);
    expect(effectiveLogConfig(broker({ 'log.retention.ms': '-5' }), {}).retentionMs).toBe(-1);
    expect(effectiveLogConfig(broker({ 'log.roll.hours': '2' }), {}).segmentMs).toBe(7_200_000);
    expect(effectiveLogConfig(broker({ 'log.segment.bytes': '2048' }), {}).segmentBytes).toBe(2048);
    expect(effectiveLogConfig(broker({ 'message.max.bytes': '100' }), {}).maxMessageBytes).toBe(100);
    expect(effectiveLogConfig(broker({ 'log.cleaner.delete.retention.ms': '7' }), {}).deleteRetentionMs).toBe(
      7,
    );
  });

  it('topic overrides win over the broker', () => {
    const c = effectiveLogConfig(broker({ 'log.retention.hours': '1', 'log.cleanup.policy': 'compact' }), {
      'retention.ms': '5000',
      'cleanup.policy': 'compact,delete',
      'message.timestamp.type': 'LogAppendTime',
    });
    expect(c.retentionMs).toBe(5000);
    expect(c.cleanupPolicy).toEqual(['compact', 'delete']);
    expect(c.messageTimestampType).toBe('LogAppendTime');
  });
});

describe('describeTopicConfigs', () => {
  it('reports DEFAULT_CONFIG, STATIC_BROKER_CONFIG and DYNAMIC_TOPIC_CONFIG sources with synonyms', () => {
    const entries = describeTopicConfigs(broker({ 'log.segment.bytes': '2048' }), { 'retention.ms': '5000' });
    expect(entries.map((e) => e.name)).toEqual([...entries.map((e) => e.name)].sort());
    expect(entry(entries, 'retention.ms')).toMatchObject({
      value: '5000',
      source: 'DYNAMIC_TOPIC_CONFIG',
      readOnly: false,
      isSensitive: false,
      type: 'long',
      synonyms: [
        { name: 'retention.ms', value: '5000', source: 'DYNAMIC_TOPIC_CONFIG' },
        { name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' },
      ],
    });
    expect(entry(entries, 'segment.bytes')).toMatchObject({
      value: '2048',
      source: 'STATIC_BROKER_CONFIG',
      synonyms: [
        { name: 'log.segment.bytes', value: '2048', source: 'STATIC_BROKER_CONFIG' },
        { name: 'log.segment.bytes', value: '1073741824', source: 'DEFAULT_CONFIG' },
      ],
    });
    expect(entry(entries, 'cleanup.policy')).toMatchObject({ value: 'delete', source: 'DEFAULT_CONFIG' });
    expect(entry(entries, 'flush.messages').value).toBe('9223372036854775807');
    expect(entry(entries, 'min.cleanable.dirty.ratio').value).toBe('0.5');
    expect(entry(entries, 'remote.storage.enable')).toMatchObject({ value: 'false', synonyms: [] });
    expect(entries.every((e) => e.doc.length > 0)).toBe(true);
  });

  it('prints values in canonical form', () => {
    const entries = describeTopicConfigs(broker(), {
      'min.cleanable.dirty.ratio': '1',
      'cleanup.policy': ' compact , delete ',
      'retention.ms': '+0100',
    });
    expect(entry(entries, 'min.cleanable.dirty.ratio').value).toBe('1.0');
    expect(entry(entries, 'cleanup.policy').value).toBe('compact,delete');
    expect(entry(entries, 'retention.ms').value).toBe('100');
  });

  it('knows every key by name', () => {
    expect(topicConfigDef('segment.ms')?.synonyms.map((s) => s.name)).toEqual([
      'log.roll.ms',
      'log.roll.hours',
    ]);
    expect(topicConfigDef('nope')).toBeUndefined();
  });
});
