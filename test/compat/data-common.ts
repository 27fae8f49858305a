/**
 * Shared pieces of the data-plane compatibility tests (data-*.test.ts): running client processes with
 * binary stdin/stdout, creating topics, reading back what the broker stored (kcat -J, raw Fetch) and the
 * round-trip check every client pair is held to. Not a test file.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { expect } from 'vitest';
import type { CreateTopicsResponse } from '../../broker/protocol/generated/create-topics';
import { defaultFetchRequest, type FetchResponse } from '../../broker/protocol/generated/fetch';
import type { ListOffsetsResponse } from '../../broker/protocol/generated/list-offsets';
import { decodeBatches, type BatchHeader } from '../../broker/protocol/records';
import type { TestBroker } from '../helpers/broker';
import { RawClient } from '../integration/raw-client';

export const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CodecName = (typeof CODECS)[number];

export type Header = [key: string, value: Buffer | null];

export interface Rec {
  key: Buffer | null;
  value: Buffer | null;
  headers: Header[];
}

export interface StoredRec extends Rec {
  partition: number;
  offset: number;
  timestamp: number;
  /** 'create' or 'logappend' as kcat/librdkafka names them; raw Fetch gives 'create' or 'logappend'. */
  timestampType?: string;
}

/** mulberry32: a small seeded PRNG, so a failing data set can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n random bytes; bytes listed in `avoid` (a text protocol's delimiters) become spaces. */
export function randomBytes(rnd: () => number, n: number, avoid: readonly number[] = []): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * 256);
    b[i] = avoid.includes(c) ? 0x20 : c;
  }
  return b;
}

/** kcat -P -K '\t': tab ends the key, newline ends the record. */
export const KCAT_DELIMITERS = [0x09, 0x0a] as const;

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** Runs a command to completion with `input` on stdin; rejects with its stderr when it fails. */
export function runProcess(
  command: string,
  args: string[],
  input: Buffer | string | null = null,
  timeoutMs = 25_000,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.stdout.on('data', (c: Buffer) => out.push(c));
    proc.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-16_000);
    });
    proc.stdin.on('error', () => {}); // EPIPE when the child fails early; 'close' reports it
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      if (code === 0) resolve({ stdout, stderr: err });
      else
        reject(
          new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}:\n${err.slice(-4_000)}`),
        );
    });
    proc.stdin.end(input ?? undefined);
  });
}

/** CreateTopics v7 over the wire; fails the test unless the topic is created. */
export async function createTopic(
  broker: TestBroker,
  name: string,
  numPartitions: number,
  configs: Record<string, string> = {},
): Promise<void> {
  const raw = await RawClient.connect(broker.port);
  try {
    const res = await raw.request<CreateTopicsResponse>(19, 7, {
      topics: [
        {
          name,
          numPartitions,
          replicationFactor: 1,
          assignments: [],
          configs: Object.entries(configs).map(([k, value]) => ({ name: k, value })),
        },
      ],
      timeoutMs: 5_000,
      validateOnly: false,
    });
    expect(res.topics.map((t) => [t.name, t.errorCode, t.errorMessage])).toEqual([[name, 0, null]]);
  } finally {
    raw.destroy();
  }
}

interface KcatJson {
  partition: number;
  offset: number;
  tstype: string;
  ts: number;
  headers?: (string | null)[];
  key: string | null;
  payload: string | null;
}

// kcat -J writes bytes >= 0x20 as they are (no UTF-8 validation) and escapes the rest as \u00XX, so
// reading its output as latin1 and mapping each char back to one byte recovers the exact bytes.
const latin1 = (s: string | null): Buffer | null => (s === null ? null : Buffer.from(s, 'latin1'));

/** Every record of the topic, via kcat's simple consumer (-C -e: no group) with CRC checks on. */
export async function kcatConsume(bootstrap: string, topic: string): Promise<StoredRec[]> {
  const { stdout } = await runProcess('kcat', [
    '-b',
    bootstrap,
    '-C',
    '-t',
    topic,
    '-o',
    'beginning',
    '-e',
    '-J',
    '-q',
    '-X',
    'check.crcs=true',
    // -e stops at the first empty fetch after the end; a shorter long poll gets there sooner.
    '-X',
    'fetch.wait.max.ms=50',
  ]);
  const lines = stdout.toString('latin1').split('\n');
  return lines
    .filter((l) => l.length > 0)
    .map((l) => {
      const j = JSON.parse(l) as KcatJson;
      const headers: Header[] = [];
      const h = j.headers ?? [];
      for (let i = 0; i < h.length; i += 2)
        headers.push([Buffer.from(h[i]!, 'latin1').toString('utf8'), latin1(h[i + 1])]);
      return {
        partition: j.partition,
        offset: j.offset,
        timestamp: j.ts,
        timestampType: j.tstype,
        key: latin1(j.key),
        value: latin1(j.payload),
        headers,
      };
    });
}

const PY_SCRIPT = path.join(__dirname, 'python', 'data_clients.py');

interface PyRecord {
  p: number;
  o: number;
  ts: number;
  tstype: string;
  k: string | null;
  v: string | null;
  h: [string, string | null][];
}

const unb64 = (s: string | null): Buffer | null => (s === null ? null : Buffer.from(s, 'base64'));

/** Every record of the topic, via confluent-kafka's Consumer with assign() at offset 0 (no group). */
export async function pyConsume(bootstrap: string, topic: string): Promise<StoredRec[]> {
  const { stdout } = await runProcess('/usr/bin/python3', [PY_SCRIPT, 'consume', bootstrap, topic]);
  return stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const r = JSON.parse(l) as PyRecord;
      return {
        partition: r.p,
        offset: r.o,
        timestamp: r.ts,
        timestampType: r.tstype,
        key: unb64(r.k),
        value: unb64(r.v),
        headers: r.h.map(([k, v]): Header => [k, unb64(v)]),
      };
    });
}

export interface PyDelivery {
  deliveries: [partition: number, offset: number, error: string | null][];
  undelivered: number;
  errors: string[];
}

/** confluent-kafka's Producer (acks=all, default partitioner) with compression.type=codec. */
export async function pyProduce(
  bootstrap: string,
  topic: string,
  codec: CodecName,
  records: Rec[],
): Promise<PyDelivery> {
  const b64 = (b: Buffer | null): string | null => (b === null ? null : b.toString('base64'));
  const input = records
    .map((r) => JSON.stringify({ k: b64(r.key), v: b64(r.value), h: r.headers.map(([k, v]) => [k, b64(v)]) }))
    .join('\n');
  const { stdout } = await runProcess(
    '/usr/bin/python3',
    [PY_SCRIPT, 'produce', bootstrap, topic, codec],
    input,
  );
  return JSON.parse(stdout.toString('utf8')) as PyDelivery;
}

export interface FetchedBatch {
  partition: number;
  header: BatchHeader;
}

/**
 * Reads partitions 0..n-1 from offset 0 to their high watermark with raw Fetch v12 and decodes the
 * batches with the broker's own decoder: the third reader next to the clients, and the one that sees
 * batch attributes (the codec the client really used).
 */
export async function rawFetchAll(
  broker: TestBroker,
  topic: string,
  partitions: number,
): Promise<{ records: StoredRec[]; batches: FetchedBatch[] }> {
  const raw = await RawClient.connect(broker.port);
  const records: StoredRec[] = [];
  const batches: FetchedBatch[] = [];
  try {
    for (let p = 0; p < partitions; p++) {
      let offset = 0n;
      for (let round = 0; ; round++) {
        if (round > 10_000) throw new Error(`fetch of ${topic}-${p} does not advance past ${offset}`);
        const req = defaultFetchRequest();
        req.maxBytes = 8 << 20;
        req.topics = [
          {
            topic,
            partitions: [
              {
                partition: p,
                currentLeaderEpoch: -1,
                fetchOffset: offset,
                lastFetchedEpoch: -1,
                logStartOffset: -1n,
                partitionMaxBytes: 4 << 20,
              },
            ],
          },
        ];
        const res = await raw.request<FetchResponse>(1, 12, req);
        const pd = res.responses[0].partitions[0];
        expect(pd.errorCode, `fetch ${topic}-${p} at ${offset}`).toBe(0);
        if (offset >= pd.highWatermark) break;
        const decoded = decodeBatches(Buffer.from(pd.records ?? Buffer.alloc(0)));
        expect(decoded.length, `fetch ${topic}-${p} at ${offset} returned no whole batch`).toBeGreaterThan(0);
        for (const b of decoded) {
          batches.push({ partition: p, header: b.header });
          for (const r of b.records) {
            if (r.offset < offset) continue; // a batch may start before the fetch offset
            records.push({
              partition: p,
              offset: Number(r.offset),
              timestamp: Number(r.timestamp),
              timestampType: (b.header.attributes & 0x08) !== 0 ? 'logappend' : 'create',
              key: r.key && Buffer.from(r.key),
              value: r.value && Buffer.from(r.value),
              headers: r.headers.map((h): Header => [h.key, h.value && Buffer.from(h.value)]),
            });
          }
          offset = b.header.baseOffset + BigInt(b.header.lastOffsetDelta) + 1n;
        }
      }
    }
  } finally {
    raw.destroy();
  }
  return { records, batches };
}

/** ListOffsets v7 for partitions 0..n-1 at `timestamp` (-1 latest, -2 earliest). */
export async function listOffsets(
  broker: TestBroker,
  topic: string,
  partitions: number,
  timestamp: bigint,
): Promise<number[]> {
  const raw = await RawClient.connect(broker.port);
  try {
    const res = await raw.request<ListOffsetsResponse>(2, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: topic,
          partitions: Array.from({ length: partitions }, (_, p) => ({
            partitionIndex: p,
            currentLeaderEpoch: -1,
            timestamp,
          })),
        },
      ],
    });
    return res.topics[0].partitions.map((p) => {
      expect(p.errorCode).toBe(0);
      return Number(p.offset);
    });
  } finally {
    raw.destroy();
  }
}

const hex = (b: Buffer | null): string => (b === null ? '~' : b.toString('hex'));

/** A record's identity: key, value and headers, byte for byte. */
export function canonical(r: Rec): string {
  return `${hex(r.key)}|${hex(r.value)}|${r.headers.map(([k, v]) => `${Buffer.from(k).toString('hex')}=${hex(v)}`).join(',')}`;
}

/** librdkafka's default partitioner, consistent_random: CRC-32 of a non-empty key, random otherwise. */
export function librdkafkaPartition(key: Buffer | null, partitions: number): number | null {
  return key === null || key.length === 0 ? null : crc32(key) % partitions;
}

export interface RoundTrip {
  /** Partition each produced record ended up in, by produce index. */
  partitionOf: number[];
  /** Offset each produced record got, by produce index. */
  offsetOf: number[];
  byPartition: Map<number, StoredRec[]>;
}

/**
 * The data-plane contract: `stored` holds exactly the `produced` records, byte-identical (key, value,
 * headers; null stays null, empty stays empty), each partition's offsets run 0..n-1 without gaps, and
 * within a partition the records keep the order they were produced in. Produced records must be
 * distinct (the tests make them so), which is what lets a stored record name the one it came from.
 */
export function expectRoundTrip(produced: Rec[], stored: StoredRec[], partitions: number): RoundTrip {
  const indexOf = new Map<string, number>();
  produced.forEach((r, i) => {
    const c = canonical(r);
    if (indexOf.has(c)) throw new Error(`test data: records ${indexOf.get(c)} and ${i} are identical`);
    indexOf.set(c, i);
  });
  const problems: string[] = [];
  const partitionOf: number[] = new Array<number>(produced.length).fill(-1);
  const offsetOf: number[] = new Array<number>(produced.length).fill(-1);
  const byPartition = new Map<number, StoredRec[]>();
  for (let p = 0; p < partitions; p++) byPartition.set(p, []);
  for (const r of stored) {
    const list = byPartition.get(r.partition);
    if (!list) problems.push(`record in unknown partition ${r.partition}`);
    else list.push(r);
  }
  for (const [p, list] of byPartition) {
    list.sort((a, b) => a.offset - b.offset);
    let lastIndex = -1;
    list.forEach((r, i) => {
      if (r.offset !== i) problems.push(`partition ${p}: record #${i} has offset ${r.offset}`);
      const at = indexOf.get(canonical(r));
      if (at === undefined) {
        problems.push(
          `partition ${p} offset ${r.offset}: no such record was produced: ${canonical(r).slice(0, 200)}`,
        );
        return;
      }
      if (partitionOf[at] !== -1) problems.push(`record ${at} stored twice (p${partitionOf[at]}, p${p})`);
      partitionOf[at] = p;
      offsetOf[at] = r.offset;
      if (at < lastIndex)
        problems.push(`partition ${p} offset ${r.offset}: record ${at} stored after ${lastIndex}`);
      lastIndex = Math.max(lastIndex, at);
    });
  }
  const missing = partitionOf.flatMap((p, i) => (p === -1 ? [i] : []));
  if (missing.length > 0)
    problems.push(`${missing.length} records missing, first ${missing.slice(0, 5).join(', ')}`);
  expect(problems.slice(0, 12), `${problems.length} problems`).toEqual([]);
  expect(stored.length).toBe(produced.length);
  return { partitionOf, offsetOf, byPartition };
}

/** Same non-null key, same partition: returns how many keys occurred more than once. */
export function expectKeysStick(produced: Rec[], partitionOf: number[], skipEmpty: boolean): number {
  const seen = new Map<string, number>();
  const count = new Map<string, number>();
  const problems: string[] = [];
  produced.forEach((r, i) => {
    if (r.key === null || (skipEmpty && r.key.length === 0)) return;
    const k = r.key.toString('hex');
    count.set(k, (count.get(k) ?? 0) + 1);
    const p = seen.get(k);
    if (p === undefined) seen.set(k, partitionOf[i]);
    else if (p !== partitionOf[i]) problems.push(`key ${k}: partitions ${p} and ${partitionOf[i]}`);
  });
  expect(problems.slice(0, 10), `${problems.length} keys in several partitions`).toEqual([]);
  return [...count.values()].filter((n) => n > 1).length;
}
