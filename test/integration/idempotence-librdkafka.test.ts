/**
 * confluent-kafka-python (librdkafka) producing through a proxy that drops the connection after every
 * 50th Produce request, after the broker appended it but before its answer reaches the client
 * (test/helpers/flaky-proxy.ts). librdkafka resends every batch that was in flight. With
 * enable.idempotence=true the resent batches carry their original sequence numbers and the broker
 * answers them from its producer state: the topic holds each record exactly once, in the order
 * produced, at the offset its delivery report names. With idempotence off the same run leaves
 * duplicates, which shows that the proxy really makes librdkafka resend appended batches.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withProxiedBroker, type ProxiedBroker } from '../helpers/flaky-proxy';
import { RawClient } from './raw-client';
import { allRecords, createTopic, fetchAll, type VisibleRecord } from './txn-wire';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, '..', 'compat', 'python', 'txn_idempotent_produce.py');
const COUNT = 5_000;
const PARTITIONS = 3;
const KILL_EVERY = 50;

interface PyResult {
  deliveries: [index: number, partition: number, offset: number, error: string | null][];
  undelivered: number;
}

let env: ProxiedBroker;
/** A connection straight to the broker, past the proxy. */
let raw: RawClient;

beforeAll(async () => {
  env = await withProxiedBroker();
  raw = await RawClient.connect(env.brokerPort);
});
afterAll(async () => {
  raw?.destroy();
  await env?.cleanup();
});

async function produceThroughProxy(topic: string, idempotence: boolean): Promise<PyResult> {
  await createTopic(raw, topic, PARTITIONS);
  env.proxy.killEvery(KILL_EVERY);
  try {
    const { stdout } = await run(
      '/usr/bin/python3',
      [SCRIPT, env.bootstrap, topic, String(COUNT), String(idempotence)],
      { timeout: 60_000, maxBuffer: 16 << 20 },
    );
    return JSON.parse(stdout) as PyResult;
  } finally {
    env.proxy.killEvery(0);
  }
}

async function readTopic(topic: string): Promise<VisibleRecord[][]> {
  const out: VisibleRecord[][] = [];
  for (let p = 0; p < PARTITIONS; p++) out.push(allRecords(await fetchAll(raw, topic, p)));
  return out;
}

describe('librdkafka idempotent producer behind a connection-dropping proxy', () => {
  it('enable.idempotence=true: 5,000 records stored exactly once, in order, at their reported offsets', async () => {
    const kills = env.proxy.stats.kills;
    const withheld = env.proxy.stats.answersWithheld;
    const result = await produceThroughProxy('idem-on', true);
    // The proxy dropped connections whose last Produce request the broker had already appended.
    expect(env.proxy.stats.kills - kills).toBeGreaterThanOrEqual(3);
    expect(env.proxy.stats.answersWithheld - withheld).toBeGreaterThanOrEqual(3);

    expect(result.undelivered).toBe(0);
    expect(result.deliveries.filter((d) => d[3] !== null)).toEqual([]);
    expect(result.deliveries).toHaveLength(COUNT);

    const stored = await readTopic('idem-on');
    const all = stored.flat();
    expect(all).toHaveLength(COUNT);
    const indexes = all.map((r) => Number(r.value));
    expect(new Set(indexes).size).toBe(COUNT);
    expect(Math.min(...indexes)).toBe(0);
    expect(Math.max(...indexes)).toBe(COUNT - 1);

    for (const [p, records] of stored.entries()) {
      const seq = records.map((r) => Number(r.value));
      // Produced in increasing order, so each partition must hold them in increasing order.
      expect(seq, `partition ${p} order`).toEqual([...seq].sort((a, b) => a - b));
      // Offsets are dense: no hole where a duplicate was refused.
      expect(records.map((r) => Number(r.offset))).toEqual(records.map((_, i) => i));
      for (const r of records) expect(r.key).toBe(`key-${Number(r.value) % 16}`);
    }

    // Each delivery report, including those of resent batches, names the record's real offset.
    const where = new Map(stored.flatMap((records, p) => records.map((r) => [`${p}@${r.offset}`, r.value])));
    const mismatched = result.deliveries.filter(
      ([i, p, offset]) => where.get(`${p}@${offset}`) !== String(i).padStart(6, '0'),
    );
    expect(mismatched).toEqual([]);
  });

  it('enable.idempotence=false: the same run leaves duplicates (the proxy forces resends)', async () => {
    const kills = env.proxy.stats.kills;
    const withheld = env.proxy.stats.answersWithheld;
    const result = await produceThroughProxy('idem-off', false);
    const killed = env.proxy.stats.kills - kills;
    const answersLost = env.proxy.stats.answersWithheld - withheld;
    expect(killed).toBeGreaterThanOrEqual(3);
    expect(answersLost).toBeGreaterThanOrEqual(3);
    expect(result.undelivered).toBe(0);

    const all = (await readTopic('idem-off')).flat();
    const distinct = new Set(all.map((r) => r.value));
    // Nothing is lost...
    expect(distinct.size).toBe(COUNT);
    // ...but every batch whose answer was withheld was appended twice.
    expect(all.length).toBeGreaterThan(COUNT);
    expect(all.length - COUNT).toBeGreaterThanOrEqual(answersLost);
  });
});
