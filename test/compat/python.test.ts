/**
 * confluent-kafka-python (librdkafka) AdminClient.list_topics against a real broker, via
 * test/compat/python/metadata.py run with the system python3.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, 'python', 'metadata.py');

interface PyMetadata {
  cluster_id: string;
  controller_id: number;
  orig_broker_id: number;
  brokers: { id: number; host: string; port: number }[];
  topics: Record<
    string,
    { error: number | null; partitions: { id: number; leader: number; replicas: number[]; isrs: number[] }[] }
  >;
}

let broker: TestBroker;

beforeAll(async () => {
  broker = await withBroker();
});
afterAll(() => broker?.cleanup());

async function listTopics(topic = '', autoCreate?: boolean) {
  const args = [SCRIPT, broker.bootstrap, topic, ...(autoCreate === undefined ? [] : [String(autoCreate)])];
  const { stdout } = await run('/usr/bin/python3', args, { timeout: 30_000 });
  return JSON.parse(stdout) as { requested?: PyMetadata; all: PyMetadata };
}

describe('confluent_kafka AdminClient.list_topics', () => {
  it('reports cluster id, controller and this broker', async () => {
    const { all } = await listTopics();
    expect(all.cluster_id).toBe(broker.clusterId);
    expect(all.controller_id).toBe(broker.nodeId);
    expect(all.orig_broker_id).toBe(broker.nodeId);
    expect(all.brokers).toEqual([{ id: broker.nodeId, host: broker.host, port: broker.port }]);
    expect(all.topics).toEqual({});
  });

  it('list_topics(topic=...) auto-creates the topic (AdminClient is a producer handle)', async () => {
    const topic = 'py-auto-created';
    const { requested, all } = await listTopics(topic);
    const expected = {
      error: null,
      partitions: [{ id: 0, leader: broker.nodeId, replicas: [broker.nodeId], isrs: [broker.nodeId] }],
    };
    expect(Object.keys(requested!.topics)).toEqual([topic]);
    expect(requested!.topics[topic]).toEqual(expected);
    expect(all.topics[topic]).toEqual(expected);
  });

  it('with allow.auto.create.topics=false an unknown topic is reported, not created', async () => {
    const topic = 'py-not-created';
    const { requested, all } = await listTopics(topic, false);
    expect(requested!.topics[topic]).toEqual({ error: 3, partitions: [] }); // UNKNOWN_TOPIC_OR_PART
    expect(Object.keys(all.topics)).not.toContain(topic);
  });
});
