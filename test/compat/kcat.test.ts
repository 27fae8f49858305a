/**
 * kcat (librdkafka) against a real broker: `-L -J` metadata (broker, controller), and a topic that
 * `kcat -L -t` auto-creates showing up with one partition led by this node.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';

const run = promisify(execFile);

interface KcatMetadata {
  originating_broker: { id: number; name: string };
  controllerid: number;
  brokers: { id: number; name: string }[];
  topics: {
    topic: string;
    error?: string;
    partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[];
  }[];
}

let broker: TestBroker;

beforeAll(async () => {
  broker = await withBroker();
});
afterAll(() => broker?.cleanup());

async function kcatMetadata(...args: string[]): Promise<KcatMetadata> {
  const { stdout } = await run('kcat', ['-b', broker.bootstrap, '-m', '10', '-L', '-J', ...args], {
    timeout: 20_000,
  });
  return JSON.parse(stdout) as KcatMetadata;
}

describe('kcat -L -J', () => {
  it('reports this broker as the only broker and the controller', async () => {
    const md = await kcatMetadata();
    expect(md.brokers).toEqual([{ id: broker.nodeId, name: `${broker.host}:${broker.port}` }]);
    expect(md.controllerid).toBe(broker.nodeId);
    expect(md.originating_broker.id).toBe(broker.nodeId);
    expect(md.topics.map((t) => t.topic)).not.toContain('kcat-auto-created');
  });

  it('auto-creates a topic named with -t; it then has 1 partition led by this node', async () => {
    const topic = 'kcat-auto-created';
    await kcatMetadata('-t', topic);
    const md = await kcatMetadata();
    const t = md.topics.find((x) => x.topic === topic);
    expect(t, JSON.stringify(md.topics)).toBeDefined();
    expect(t!.error).toBeUndefined();
    expect(t!.partitions).toEqual([
      {
        partition: 0,
        leader: broker.nodeId,
        replicas: [{ id: broker.nodeId }],
        isrs: [{ id: broker.nodeId }],
      },
    ]);
    // Asking for it by name now describes the same topic.
    const one = await kcatMetadata('-t', topic);
    expect(one.topics).toHaveLength(1);
    expect(one.topics[0]).toMatchObject({ topic, partitions: t!.partitions });
  });
});
