/**
 * Log compaction through a real broker (design docs "Log Compaction"): a topic created with
 * cleanup.policy=compact and 1 KB segments, updates produced by kcat (librdkafka) one record per
 * request, one clean, then kcat consuming from the beginning sees only the latest value of each key at
 * the offset it was first given, the tombstone until delete.retention.ms has passed, and the log end
 * offset unchanged. The clean is triggered through the node's LogManager (the broker's public handle
 * does not expose it); the background timer runs the same cleanNow every log.cleaner.backoff.ms.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBrokerConfig } from '../../broker/config';
import { startBrokerNode, type BrokerNode } from '../../broker/node';
import { withBroker, type TestBroker } from '../helpers/broker';

const TOPIC = 'compacted';
const DELETE_RETENTION_MS = 2_000;

let node: BrokerNode;
let logDir: string;
let bootstrap: string;

beforeAll(async () => {
  logDir = await mkdtemp(path.join(tmpdir(), 'kbroker-compaction-'));
  const config = loadBrokerConfig({
    overrides: {
      listeners: 'PLAINTEXT://127.0.0.1:0',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:0',
      'log.dirs': logDir,
      'node.id': 1,
    },
  });
  node = await startBrokerNode(config);
  // Cleaning runs when the test says so, not when the background timer happens to fire.
  node.context.logs.cleaner.stop();
  bootstrap = `${node.host}:${node.port}`;
});
afterAll(async () => {
  await node?.stop();
  if (logDir) await rm(logDir, { recursive: true, force: true });
});

/** Runs kcat with `input` on stdin, without blocking the event loop the broker runs on. */
function kcat(args: string[], input = '', brokers = bootstrap): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('kcat', ['-b', brokers, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`kcat ${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`));
    });
    p.stdin.end(input);
  });
}

/** One record per produce request, so the records spread over many 1 KB segments. */
const produce = (lines: string[], topic = TOPIC, brokers = bootstrap) =>
  kcat(
    ['-P', '-t', topic, '-p', '0', '-K', ':', '-Z', '-X', 'batch.num.messages=1', '-X', 'linger.ms=0'],
    lines.map((l) => `${l}\n`).join(''),
    brokers,
  );

interface Consumed {
  offset: number;
  key: string | null;
  payload: string | null;
}

async function consumeAll(topic = TOPIC, brokers = bootstrap): Promise<Consumed[]> {
  const out = await kcat(['-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-J', '-q'], '', brokers);
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Consumed)
    .map(({ offset, key, payload }) => ({ offset, key, payload }));
}

/** The latest record of each key below `end`, everything from `end` on as it was. */
function compacted(all: Consumed[], end: number, dropTombstones: boolean): Consumed[] {
  const latest = new Map<string | null, number>();
  for (const r of all) if (r.offset < end) latest.set(r.key, r.offset);
  return all.filter(
    (r) => r.offset >= end || (latest.get(r.key) === r.offset && !(dropTombstones && r.payload === null)),
  );
}

async function createCompactedTopic(brokers: string, topic: string, configs: Record<string, string>) {
  const kafka = new Kafka({ clientId: 'compaction-test', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const configEntries = Object.entries({
      'cleanup.policy': 'compact',
      'segment.bytes': '1024',
      'min.cleanable.dirty.ratio': '0.01',
      ...configs,
    }).map(([name, value]) => ({ name, value }));
    const topics = [{ topic, numPartitions: 1, replicationFactor: 1, configEntries }];
    expect(await admin.createTopics({ waitForLeaders: true, topics })).toBe(true);
  } finally {
    await admin.disconnect();
  }
}

async function logBytes(): Promise<number> {
  const dir = path.join(logDir, `${TOPIC}-0`);
  let n = 0;
  for (const f of await readdir(dir)) if (f.endsWith('.log')) n += (await stat(path.join(dir, f))).size;
  return n;
}

describe('cleanup.policy=compact', () => {
  it('leaves the latest value per key at its original offset; tombstones go after delete.retention.ms', async () => {
    await createCompactedTopic(bootstrap, TOPIC, { 'delete.retention.ms': String(DELETE_RETENTION_MS) });

    const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
    const updates: string[] = [];
    for (let i = 0; i < 20; i++) for (const k of keys) updates.push(`${k}:${k}-v${i}`.padEnd(48, '.'));
    await produce(updates);
    await produce(['k3:']); // -Z: an empty value is sent as null, a tombstone
    // Distinct keys after the updates, so every update sits in a rolled (cleanable) segment.
    await produce(Array.from({ length: 30 }, (_, i) => `f${i}:filler-${i}`.padEnd(48, '.')));

    const before = await consumeAll();
    expect(before).toHaveLength(131);
    expect(before.map((r) => r.offset)).toEqual(before.map((_, i) => i));
    const bytesBefore = await logBytes();

    const results = node.context.logs.cleaner.cleanNow();
    const result = results.find((r) => r.topic === TOPIC);
    expect(
      result,
      JSON.stringify(results, (_, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)),
    ).toBeDefined();
    const end = Number(result!.endOffset);
    expect(end).toBeGreaterThan(101); // past the tombstone at offset 100

    const after = await consumeAll();
    expect(after).toEqual(compacted(before, end, false));
    expect(after.length).toBeLessThan(40);
    for (const k of ['k0', 'k1', 'k2', 'k4']) {
      const got = after.filter((r) => r.key === k);
      expect(got).toEqual([before.filter((r) => r.key === k).at(-1)]);
      expect(got[0].payload).toMatch(new RegExp(`^${k}-v19\\.+$`));
    }
    expect(after.filter((r) => r.key === 'k3')).toEqual([{ offset: 100, key: 'k3', payload: null }]);
    expect(after.at(-1)!.offset).toBe(130);
    expect(await logBytes()).toBeLessThan(bytesBefore / 2);

    // Once delete.retention.ms has passed since that clean, the next one removes the tombstone.
    const later = node.context.logs.cleaner.cleanNow(Date.now() + DELETE_RETENTION_MS);
    expect(later.map((r) => [r.topic, r.recordsRemoved])).toContainEqual([TOPIC, 1]);
    const final = await consumeAll();
    expect(final.filter((r) => r.key === 'k3')).toEqual([]);
    expect(final).toEqual(compacted(before, end, true));

    // A new producer still gets the next offset after the compacted log's end.
    await produce(['k0:after']);
    expect((await consumeAll()).at(-1)).toEqual({ offset: 131, key: 'k0', payload: 'after' });
  });
});

describe('the background cleaner', () => {
  let broker: TestBroker | undefined;
  afterAll(() => broker?.cleanup());

  it('compacts on its own every log.cleaner.backoff.ms', async () => {
    broker = await withBroker({ 'log.cleaner.backoff.ms': 100 });
    const topic = 'compacted-by-timer';
    await createCompactedTopic(broker.bootstrap, topic, {});
    const lines: string[] = [];
    for (let i = 0; i < 15; i++) for (const k of ['a', 'b']) lines.push(`${k}:${k}-${i}`.padEnd(48, '.'));
    await produce(lines, topic, broker.bootstrap);
    const fillers = Array.from({ length: 30 }, (_, i) => `f${i}:filler`.padEnd(48, '.'));
    await produce(fillers, topic, broker.bootstrap);
    const updated = (rs: Consumed[]) => rs.filter((r) => r.key === 'a' || r.key === 'b');
    const deadline = Date.now() + 10_000; // well below the 15 s default backoff
    let got = await consumeAll(topic, broker.bootstrap);
    while (updated(got).length > 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      got = await consumeAll(topic, broker.bootstrap);
    }
    expect(updated(got)).toEqual([
      { offset: 28, key: 'a', payload: 'a-14'.padEnd(46, '.') },
      { offset: 29, key: 'b', payload: 'b-14'.padEnd(46, '.') },
    ]);
    expect(got.at(-1)!.offset).toBe(59);
  });
});
