/**
 * @platformatic/kafka Admin against a real broker. It negotiates flexible versions (ApiVersions v3/v4,
 * Metadata v12), so this covers compact encodings and tagged fields with a real client.
 */
import { Admin } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';

let broker: TestBroker;
let admin: Admin;

beforeAll(async () => {
  broker = await withBroker();
  admin = new Admin({ clientId: 'compat-platformatic', bootstrapBrokers: [broker.bootstrap], retries: 0 });
});
afterAll(async () => {
  await admin?.close();
  await broker?.cleanup();
});

describe('@platformatic/kafka Admin', () => {
  it('negotiates the flexible versions we advertise', async () => {
    const apis = await admin.listApis();
    expect(apis.find((a) => a.apiKey === 3)).toMatchObject({ minVersion: 0, maxVersion: 12 });
    expect(apis.find((a) => a.apiKey === 18)).toMatchObject({ minVersion: 0, maxVersion: 4 });
  });

  it('metadata: cluster id, controller and this broker', async () => {
    const md = await admin.metadata({ topics: [] });
    expect(md.id).toBe(broker.clusterId);
    expect(md.controllerId).toBe(broker.nodeId);
    expect([...md.brokers.entries()]).toEqual([
      [broker.nodeId, { host: broker.host, port: broker.port, rack: null }],
    ]);
  });

  it('metadata for a new topic auto-creates it with one partition led by this node', async () => {
    const topic = 'platformatic-topic';
    const md = await admin.metadata({ topics: [topic], autocreateTopics: true, forceUpdate: true });
    const t = md.topics.get(topic);
    expect(t).toBeDefined();
    expect(t!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(t!.id).not.toBe('00000000-0000-0000-0000-000000000000');
    expect(t!.partitionsCount).toBe(1);
    expect(t!.partitions).toEqual([
      expect.objectContaining({ leader: broker.nodeId, replicas: [broker.nodeId], isr: [broker.nodeId] }),
    ]);
    expect(await admin.listTopics()).toEqual([topic]);
  });

  it('metadata without autocreate for an unknown topic fails and does not create it', async () => {
    await expect(
      admin.metadata({ topics: ['platformatic-missing'], autocreateTopics: false }),
    ).rejects.toThrow(/Unknown topic platformatic-missing/);
    expect(await admin.listTopics()).not.toContain('platformatic-missing');
  });
});
