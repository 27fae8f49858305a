/**
 * Crash recovery of a real broker process. The broker runs as a child (`tsx broker/main.ts --config`),
 * confluent-kafka-python produces with acks=1 and reports every acknowledged record, and the broker is
 * killed with SIGKILL mid-stream. After a restart on the same dirs and port every acknowledged record
 * must be there with its offset, key, value and timestamp; the log continues at its end; ListOffsets by
 * timestamp answers from the rebuilt time index. Then a torn write (the active segment's last batch
 * cut short after a clean stop) must be truncated at start-up with everything before it served, and
 * records acknowledged after a clean restart must survive the next crash too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../broker/protocol/generated/errors';
import type { FetchResponse } from '../../broker/protocol/generated/fetch';
import type { ListOffsetsResponse } from '../../broker/protocol/generated/list-offsets';
import type { ProduceResponse } from '../../broker/protocol/generated/produce';
import { decodeBatches, encodeBatch, readBatchHeader } from '../../broker/protocol/records';
import { RawClient } from './raw-client';

const REPO = path.resolve(__dirname, '../..');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');
const PRODUCER = path.join(__dirname, 'python', 'produce.py');
const TOPIC = 'crash-test';
const PARTITIONS = 3;
const FETCH = 1;
const LIST_OFFSETS = 2;
const PRODUCE = 0;

interface Ack {
  p: number;
  o: number;
  k: string;
  ts: number;
}
interface Rec {
  offset: bigint;
  key: string;
  value: string;
  ts: bigint;
}

/** A child process whose output is kept, with a promise for each line matching a predicate. */
class Child {
  out = '';
  readonly exited: Promise<number | null>;
  private listeners: (() => void)[] = [];

  constructor(readonly proc: ChildProcess) {
    const onData = (chunk: Buffer) => {
      this.out += chunk.toString('utf8');
      for (const l of this.listeners.slice()) l();
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => {
      proc.once('close', (code) => {
        for (const l of this.listeners.slice()) l();
        resolve(code);
      });
    });
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  lines(): string[] {
    return this.out.split('\n').filter((l) => l.length > 0);
  }

  /** Resolves once `ok(output)` holds; rejects if the process exits first or after timeoutMs. */
  waitFor(what: string, ok: (out: string) => boolean, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (ok(this.out)) done();
        else if (!this.alive) done(new Error(`exited before ${what}:\n${this.out.slice(-3000)}`));
      };
      const timer = setTimeout(
        () => done(new Error(`timed out waiting for ${what}:\n${this.out.slice(-3000)}`)),
        timeoutMs,
      );
      this.listeners.push(check);
      check();
    });
  }

  /** SIGKILL to the whole process group (tsx runs the broker in a child of its own). */
  async kill(): Promise<void> {
    if (this.alive && this.proc.pid !== undefined) process.kill(-this.proc.pid, 'SIGKILL');
    await this.exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

let root: string;
let dataDir: string;
let configFile: string;
let port: number;
const running: Child[] = [];

async function startBroker(): Promise<Child> {
  const child = new Child(
    spawn(TSX, ['broker/main.ts', '--config', configFile], {
      cwd: REPO,
      env: { ...process.env, LOG_LEVEL: 'info' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  running.push(child);
  await child.waitFor('the broker to listen', (out) => out.includes(`listening on 127.0.0.1:${port}`));
  return child;
}

/** SIGTERM to tsx only: it relays the signal once to the broker, which shuts down cleanly. */
async function stopBroker(b: Child): Promise<void> {
  b.proc.kill('SIGTERM');
  expect(await b.exited).toBe(0);
}

async function withClient<T>(fn: (c: RawClient) => Promise<T>): Promise<T> {
  const c = await RawClient.connect(port);
  try {
    return await fn(c);
  } finally {
    c.destroy();
  }
}

/** Every record of a partition below its high watermark, by Fetch v12 from offset 0. */
async function fetchAll(c: RawClient, partition: number): Promise<{ hw: bigint; recs: Rec[] }> {
  const recs: Rec[] = [];
  let offset = 0n;
  for (;;) {
    const res = await c.request<FetchResponse>(FETCH, 12, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 4 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: TOPIC,
          partitions: [
            {
              partition,
              currentLeaderEpoch: -1,
              fetchOffset: offset,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: 1 << 20,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    const p = res.responses[0].partitions[0];
    expect(p.errorCode).toBe(ErrorCode.NONE);
    const batches = decodeBatches(p.records ?? Buffer.alloc(0));
    for (const b of batches)
      for (const r of b.records)
        if (r.offset >= offset)
          recs.push({
            offset: r.offset,
            key: r.key!.toString(),
            value: r.value!.toString(),
            ts: r.timestamp,
          });
    if (batches.length === 0) {
      expect(offset).toBe(p.highWatermark);
      return { hw: p.highWatermark, recs };
    }
    const last = batches[batches.length - 1].header;
    offset = last.baseOffset + BigInt(last.lastOffsetDelta) + 1n;
  }
}

async function listOffset(c: RawClient, partition: number, timestamp: bigint) {
  const res = await c.request<ListOffsetsResponse>(LIST_OFFSETS, 7, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: TOPIC, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp }] }],
  });
  const p = res.topics[0].partitions[0];
  expect(p.errorCode).toBe(ErrorCode.NONE);
  return { offset: p.offset!, timestamp: p.timestamp! };
}

/** Produces `count` records in batches of `perBatch` with acks=1; returns the base offsets assigned. */
async function produce(c: RawClient, partition: number, prefix: string, count: number, perBatch = 10) {
  const bases: bigint[] = [];
  for (let i = 0; i < count; i += perBatch) {
    const n = Math.min(perBatch, count - i);
    const records = Array.from({ length: n }, (_, j) => ({
      key: Buffer.from(`${prefix}-${i + j}`),
      value: Buffer.from(`value-${prefix}-${i + j}`),
    }));
    const res = await c.request<ProduceResponse>(PRODUCE, 9, {
      transactionalId: null,
      acks: 1,
      timeoutMs: 5_000,
      topicData: [{ name: TOPIC, partitionData: [{ index: partition, records: encodeBatch({ records }) }] }],
    });
    const p = res.responses[0].partitionResponses[0];
    expect(p.errorCode).toBe(ErrorCode.NONE);
    bases.push(p.baseOffset);
  }
  return bases;
}

const expectedValue = (key: string) => {
  const n = Number(key.slice(2));
  return `v-${n}-${'x'.repeat(n % 200)}`;
};

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'crash-recovery-'));
  dataDir = path.join(root, 'data');
  configFile = path.join(root, 'server.properties');
  port = await freePort();
  writeFileSync(
    configFile,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `listeners=PLAINTEXT://127.0.0.1:${port}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      `log.dirs=${dataDir}`,
      `num.partitions=${PARTITIONS}`,
      'auto.create.topics.enable=true',
      // Small segments and dense indexes, so recovery and lookups cross segment boundaries.
      'log.segment.bytes=65536',
      'log.index.interval.bytes=1024',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const c of running) await c.kill();
  rmSync(root, { recursive: true, force: true });
});

// Broker starts through tsx take seconds each on a loaded 2-core machine: generous per-test limits.
const SLOW = 120_000;

describe('broker process crash recovery', () => {
  // Filled by the first test, checked by the next ones (they run in order, sharing one data dir).
  const before = new Map<number, Rec[]>();

  it(
    'keeps every acknowledged record across SIGKILL; the log continues; ListOffsets by time is right',
    async () => {
      let broker = await startBroker();
      const producer = new Child(
        spawn('/usr/bin/python3', [PRODUCER, `127.0.0.1:${port}`, TOPIC, String(PARTITIONS), '60'], {
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
      running.push(producer);
      const started = Date.now();
      // Produce for a couple of seconds (and at least a few thousand acknowledged records).
      await producer.waitFor(
        'acknowledgements',
        (out) => out.split('"o"').length > 3_000 && Date.now() - started > 2_000,
        45_000,
      );
      await broker.kill();
      await producer.kill();
      const acks: Ack[] = [];
      for (const line of producer.lines()) {
        if (!line.startsWith('{')) continue;
        const j = JSON.parse(line) as Ack | { err: string };
        if ('o' in j) acks.push(j);
      }
      expect(acks.length).toBeGreaterThan(3_000);

      broker = await startBroker();
      await withClient(async (c) => {
        for (let p = 0; p < PARTITIONS; p++) {
          const mine = acks.filter((a) => a.p === p);
          expect(mine.length).toBeGreaterThan(100);
          const { hw, recs } = await fetchAll(c, p);
          // Offsets are contiguous from 0 to the high watermark, which covers every acknowledged one.
          expect(recs.map((r) => r.offset)).toEqual(Array.from({ length: Number(hw) }, (_, i) => BigInt(i)));
          expect(hw).toBeGreaterThan(BigInt(Math.max(...mine.map((a) => a.o))));
          expect((await listOffset(c, p, -1n)).offset).toBe(hw);
          for (const a of mine) {
            const r = recs[a.o];
            expect({ key: r.key, value: r.value, ts: r.ts }).toEqual({
              key: a.k,
              value: expectedValue(a.k),
              ts: BigInt(a.ts),
            });
          }
          // By timestamp: the first record (in offset order) with a timestamp at or after the target.
          for (const a of [mine[Math.floor(mine.length / 2)], mine[1], mine[mine.length - 2]]) {
            for (const target of [BigInt(a.ts), BigInt(a.ts) + 1n]) {
              const want = recs.find((r) => r.ts >= target);
              expect(await listOffset(c, p, target)).toEqual(
                want ? { offset: want.offset, timestamp: want.ts } : { offset: -1n, timestamp: -1n },
              );
            }
          }
          expect((await listOffset(c, p, 0n)).offset).toBe(0n);
          const maxTs = recs.reduce((m, r) => (r.ts > m ? r.ts : m), 0n);
          expect((await listOffset(c, p, maxTs + 1n)).offset).toBe(-1n);
          // The log continues at its end.
          const bases = await produce(c, p, `after-crash-${p}`, 20);
          expect(bases).toEqual([hw, hw + 10n]);
          const again = await fetchAll(c, p);
          expect(again.hw).toBe(hw + 20n);
          expect(again.recs.slice(Number(hw)).map((r) => r.key)).toEqual(
            Array.from({ length: 20 }, (_, i) => `after-crash-${p}-${i}`),
          );
          before.set(p, again.recs);
        }
      });
      await stopBroker(broker);
      expect(existsSync(path.join(dataDir, '.kafka_cleanshutdown'))).toBe(true);
    },
    SLOW,
  );

  it(
    'truncates a torn write of the active segment at start-up and serves everything before it',
    async () => {
      expect(before.size).toBe(PARTITIONS);
      const dir = path.join(dataDir, `${TOPIC}-0`);
      const logs = readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .sort();
      expect(logs.length).toBeGreaterThan(1);
      const active = path.join(dir, logs[logs.length - 1]);
      const data = readFileSync(active);
      let last = { pos: 0, size: 0, base: 0n };
      for (let pos = 0; pos < data.length;) {
        const h = readBatchHeader(data, pos);
        last = { pos, size: h.batchLength + 12, base: h.baseOffset };
        pos += last.size;
      }
      expect(last.pos + last.size).toBe(data.length);
      const fd = openSync(active, 'r+');
      ftruncateSync(fd, data.length - 7);
      closeSync(fd);

      const broker = await startBroker();
      const warning = broker
        .lines()
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; partition?: string; truncatedBytes?: number })
        .filter((l) => l.msg === 'truncated a torn tail during recovery');
      expect(warning).toMatchObject([{ partition: `${TOPIC}-0`, truncatedBytes: last.size - 7 }]);
      await withClient(async (c) => {
        const p0 = await fetchAll(c, 0);
        expect(p0.hw).toBe(last.base);
        expect(p0.recs).toEqual(before.get(0)!.filter((r) => r.offset < last.base));
        for (let p = 1; p < PARTITIONS; p++) expect((await fetchAll(c, p)).recs).toEqual(before.get(p));
        // Appends continue where the torn batch began.
        expect(await produce(c, 0, 'after-torn', 10)).toEqual([last.base]);
      });
      await stopBroker(broker); // checkpoints the high watermark for the next test
    },
    SLOW,
  );

  it(
    'after a clean restart, records acknowledged before the next crash are all served',
    async () => {
      // The previous test ended in a clean stop: the checkpointed high watermark is the log end now,
      // and falls behind it with the next appends until the next checkpoint.
      let broker = await startBroker();
      const start = await withClient(async (c) => {
        const { offset } = await listOffset(c, 0, -1n);
        expect(await produce(c, 0, 'between-crashes', 200, 20)).toEqual(
          Array.from({ length: 10 }, (_, i) => offset + BigInt(i * 20)),
        );
        return offset;
      });
      await broker.kill();
      broker = await startBroker();
      await withClient(async (c) => {
        const { hw, recs } = await fetchAll(c, 0);
        expect(hw).toBe(start + 200n);
        expect((await listOffset(c, 0, -1n)).offset).toBe(start + 200n);
        expect(recs.slice(Number(start)).map((r) => r.key)).toEqual(
          Array.from({ length: 200 }, (_, i) => `between-crashes-${i}`),
        );
      });
      await stopBroker(broker);
    },
    SLOW,
  );
});
