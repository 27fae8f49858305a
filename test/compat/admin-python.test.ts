/**
 * confluent-kafka-python (librdkafka) AdminClient topic administration against a real broker, via
 * test/compat/python/admin.py run with the system python3: create_topics (with validate_only and
 * configs), create_partitions, describe_configs (topic and broker), alter_configs, delete_topics, and
 * the error codes librdkafka reports for refused requests (also with delete.topic.enable=false).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { withBroker } from '../helpers/broker';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, 'python', 'admin.py');

type Outcome = { code: number; name: string; str: string } | null;
interface Entry {
  value: string | null;
  source: number;
  read_only: boolean;
  is_default: boolean;
}
interface Scenario {
  create: Record<string, Outcome>;
  create_again: Record<string, Outcome>;
  validate_only: Record<string, Outcome>;
  topics_after_create: string[];
  partitions: Record<string, Outcome>;
  shrink: Record<string, Outcome>;
  partition_count: number;
  topic_configs: Record<string, Entry>;
  broker_configs: Record<string, Entry>;
  alter: Record<string, Outcome>;
  alter_bad: Record<string, Outcome>;
  topic_configs_after_alter: Record<string, Entry>;
  delete: Record<string, Outcome>;
  topics_after_delete: string[];
}

async function admin<T>(bootstrap: string, ...args: string[]): Promise<T> {
  const { stdout } = await run('/usr/bin/python3', [SCRIPT, bootstrap, ...args], { timeout: 60_000 });
  return JSON.parse(stdout) as T;
}

const code = (o: Outcome | undefined) => o?.code ?? 0;

describe('confluent_kafka AdminClient topic administration', () => {
  it('creates, grows, configures and deletes topics with Kafka error codes', async () => {
    const broker = await withBroker();
    try {
      const r = await admin<Scenario>(broker.bootstrap, 'scenario');
      expect(code(r.create['py-topic'])).toBe(0);
      expect(code(r.create['py-bad-rf'])).toBe(38); // INVALID_REPLICATION_FACTOR
      expect(code(r.create['bad name!'])).toBe(17); // INVALID_TOPIC_EXCEPTION
      expect(code(r.create['py-bad-config'])).toBe(40); // INVALID_CONFIG
      expect(code(r.create['py-unknown-config'])).toBe(40);
      expect(r.create['py-unknown-config']?.str).toContain('Unknown topic config name: no.such.config');
      expect(code(r.create_again['py-topic'])).toBe(36); // TOPIC_ALREADY_EXISTS
      expect(code(r.validate_only['py-dry-run'])).toBe(0);
      expect(r.topics_after_create).toEqual(['py-topic']);

      expect(code(r.partitions['py-topic'])).toBe(0);
      expect(code(r.partitions['py-missing'])).toBe(3); // UNKNOWN_TOPIC_OR_PART
      expect(code(r.shrink['py-topic'])).toBe(37); // INVALID_PARTITIONS
      expect(r.partition_count).toBe(5);

      expect(r.topic_configs['retention.ms']).toEqual({
        value: '120000',
        source: 1,
        read_only: false,
        is_default: false,
      });
      expect(r.topic_configs['cleanup.policy']).toMatchObject({
        value: 'delete',
        source: 5,
        is_default: true,
      });
      expect(r.topic_configs['segment.bytes']).toMatchObject({ value: '1073741824', source: 5 });
      expect(r.broker_configs['log.dirs']).toMatchObject({
        value: broker.logDir,
        source: 4,
        read_only: true,
      });
      expect(r.broker_configs['num.partitions']).toMatchObject({ value: '1', source: 5 });

      expect(code(Object.values(r.alter)[0])).toBe(0);
      expect(code(Object.values(r.alter_bad)[0])).toBe(40);
      expect(r.topic_configs_after_alter['retention.ms']).toMatchObject({ value: '5000', source: 1 });

      expect(code(r.delete['py-topic'])).toBe(0);
      expect(code(r.delete['py-missing'])).toBe(3);
      expect(r.topics_after_delete).toEqual([]);
    } finally {
      await broker.cleanup();
    }
  });

  it('is refused deletion when delete.topic.enable=false (INVALID_REQUEST: librdkafka sends DeleteTopics v1)', async () => {
    const broker = await withBroker({ 'delete.topic.enable': false });
    try {
      // Kafka answers TOPIC_DELETION_DISABLED only from v3 on; older versions get INVALID_REQUEST.
      const r = await admin<Record<string, Outcome>>(broker.bootstrap, 'delete', 'py-kept');
      expect(code(r['py-kept'])).toBe(42);
    } finally {
      await broker.cleanup();
    }
  });
});
