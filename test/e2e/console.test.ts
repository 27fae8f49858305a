import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { withBroker, type TestBroker } from '../helpers/broker';
import { getFreePort } from '../helpers/net';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { ensureSharedNextBuild } from '../api/next-build';

// The console's first page against a real broker, through a real browser: what an operator sees.
describe('console overview (browser)', () => {
  const topic = 'console-e2e-orders';
  let broker: TestBroker | undefined;
  let next: NextServer | undefined;
  let downNext: NextServer | undefined;
  let browser: Browser | undefined;
  let address: string;

  beforeAll(async () => {
    // Build while the broker starts; the first build on a fresh clone takes most of this hook.
    const built = ensureSharedNextBuild();
    broker = await withBroker();
    address = broker.bootstrap;
    const admin = new Kafka({
      clientId: 'e2e-setup',
      brokers: [address],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
    } finally {
      await admin.disconnect();
    }
    await built;
    // A closed port stands in for a cluster that is down: the console must say so, not crash.
    const closedPort = await getFreePort();
    [next, downNext, browser] = await Promise.all([
      startNextServer(address),
      startNextServer(`127.0.0.1:${closedPort}`),
      launchChromium(),
    ]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([next?.stop(), downNext?.stop()]);
    await broker?.cleanup();
  }, 60_000);

  it('lists the broker with its node id, address and the cluster id', async () => {
    const page = await browser!.newPage();
    try {
      const res = await page.goto(next!.url, { waitUntil: 'domcontentloaded' });
      expect(res?.status()).toBe(200);
      const row = page.locator(`tr[data-node-id="${broker!.nodeId}"]`);
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.locator('td').first().innerText()).toBe(String(broker!.nodeId));
      expect(await row.innerText()).toContain(address);
      expect(await page.locator('main').innerText()).toContain(broker!.clusterId);
      expect(await page.locator('section.error-box').count()).toBe(0);
      // The busiest topics, from /api/v1/topics (the overview fetches it after the cluster view).
      const topicRow = page.locator(`[data-testid=top-topics] tr[data-topic="${topic}"]`);
      await topicRow.waitFor();
      expect(await topicRow.locator('td').first().innerText()).toBe(topic);
      expect(await topicRow.locator('td[data-col=partitions]').innerText()).toBe('3');
    } finally {
      await page.close();
    }
  });

  it('serves the same cluster as JSON at /api/v1/cluster', async () => {
    const res = await fetch(`${next!.url}/api/v1/cluster`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as {
      clusterId: string;
      controllerId: number | null;
      brokers: { nodeId: number; host: string; port: number }[];
      topics: { name: string; partitions: number }[];
    };
    expect(body.clusterId).toBe(broker!.clusterId);
    expect(body.brokers).toContainEqual({ nodeId: broker!.nodeId, host: broker!.host, port: broker!.port });
    expect(body.topics).toContainEqual({ name: topic, partitions: 3 });
    if (body.controllerId !== null) expect(body.brokers.map((b) => b.nodeId)).toContain(body.controllerId);
  });

  it('shows a readable error, not a crash, when the cluster is unreachable', async () => {
    const page = await browser!.newPage();
    try {
      const res = await page.goto(downNext!.url, { waitUntil: 'domcontentloaded' });
      expect(res?.status()).toBe(200);
      const alert = page.locator('section.error-box');
      expect(await alert.innerText()).toContain('Cannot reach the Kafka cluster');
    } finally {
      await page.close();
    }
    const api = await fetch(`${downNext!.url}/api/v1/cluster`);
    expect(api.status).toBe(502);
    const body = (await api.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('CLUSTER_UNREACHABLE');
    expect(body.error.message.length).toBeGreaterThan(0);
  });
});
