/**
 * The log cleaner on real files (design docs "Log Compaction"): a log with 1 KB segments and many
 * updates to a few keys is compacted to the latest value per key at its original offset, segments shrink
 * and merge, the active segment is untouched, tombstones live until their delete horizon (KIP-534),
 * min.compaction.lag.ms / min.cleanable.dirty.ratio / max.compaction.lag.ms gate cleaning, aborted
 * transactional data never shadows committed data, and a crash at any point of the swap recovers.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Compression,
  compressionOf,
  decodeBatches,
  encodeBatch,
  encodeEndTxnMarker,
  hasDeleteHorizon,
  readBatchHeader,
  validateProduceRecords,
  type BatchHeader,
  type DecodedRecord,
} from '../protocol/records';
import { CLEANER_OFFSET_CHECKPOINT } from './cleaner';
import { LogManager } from './log-manager';
import { PartitionLog } from './partition-log';
import { offsetForTimestamp } from './timestamp-lookup';
import { effectiveLogConfig } from './topic-config';
import type { LogConfig } from './types';

const quiet = pino({ level: process.env.CLEANER_TEST_LOG ?? 'silent' });
const T0 = 1_700_000_000_000;
const RETENTION = 5_000;
const COMPACT = effectiveLogConfig(
  { staticProps: new Map() },
  {
    'cleanup.policy': 'compact',
    'segment.bytes': '1024',
    'min.cleanable.dirty.ratio': '0.01',
    'delete.retention.ms': String(RETENTION),
  },
);

interface Written {
  offset: bigint;
  key: string;
  value: string | null;
}

let root: string;
let manager: LogManager | null;
let written: Written[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cleaner-test-'));
  manager = null;
  written = [];
});
afterEach(() => {
  manager?.close();
  rmSync(root, { recursive: true, force: true });
});

function open(config: Partial<LogConfig> = {}, dir = root): PartitionLog {
  manager?.close();
  manager = LogManager.open(
    [dir],
    [{ name: 't', topicId: 'tid', partitions: [0], config: { ...COMPACT, ...config } }],
    quiet,
  );
  return manager.get('t', 0)!;
}
const cleaner = () => manager!.cleaner;

interface Spec {
  key: string;
  value: string | null;
  ts?: number;
}

/** Appends one batch as a produce would; records the offsets it got. */
function append(log: PartitionLog, specs: Spec[], opts: { compression?: number; pid?: bigint } = {}) {
  const buf = encodeBatch({
    compression: opts.compression,
    producerId: opts.pid,
    producerEpoch: opts.pid !== undefined ? 0 : undefined,
    baseSequence: opts.pid !== undefined ? 0 : undefined,
    records: specs.map((s) => ({
      key: Buffer.from(s.key),
      value: s.value === null ? null : Buffer.from(s.value),
      timestamp: BigInt(s.ts ?? T0),
    })),
  });
  const v = validateProduceRecords(buf, { maxMessageBytes: 1 << 20 });
  if (!v.ok) throw new Error(v.message);
  const r = log.appendAsLeader(buf, v.batches, T0);
  log.highWatermark = log.logEndOffset; // as the replica manager does with no followers
  specs.forEach((s, i) => written.push({ offset: r.baseOffset + BigInt(i), key: s.key, value: s.value }));
  return r;
}

/** Appends a batch that produce validation would refuse (control, transactional), as is. */
function appendRaw(log: PartitionLog, buf: Buffer) {
  const header = readBatchHeader(buf, 0);
  const batch = { pos: 0, size: buf.length, header, maxTimestamp: header.maxTimestamp };
  const r = log.appendAsLeader(buf, [batch], T0);
  log.highWatermark = log.logEndOffset;
  return r;
}

/** n single-record updates cycling over `keys`, values numbered by offset and padded. */
function updates(log: PartitionLog, keys: string[], n: number, ts = T0) {
  for (let i = 0; i < n; i++) {
    const key = keys[i % keys.length];
    append(log, [{ key, value: `${key}@${written.length}`.padEnd(40, '.'), ts: ts + i }]);
  }
}

interface Read {
  header: BatchHeader;
  record: DecodedRecord;
}

/** Every record from the log start on, as a consumer fetching batch after batch sees them. */
function readAll(log: PartitionLog): Read[] {
  const out: Read[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const r = log.read(offset, 1 << 20, log.logEndOffset, true);
    if (!r.records) break;
    for (const b of decodeBatches(r.records))
      for (const record of b.records) if (record.offset >= offset) out.push({ header: b.header, record });
    offset = r.nextOffset;
  }
  return out;
}
const view = (reads: Read[]) =>
  reads.map(({ record: r }) => ({
    offset: r.offset,
    key: r.key?.toString() ?? null,
    value: r.value === null ? null : r.value.toString(),
  }));

/** The model: below `end`, the latest record of each key (tombstones too unless dropped); the rest as is. */
function compacted(end: bigint, dropTombstones = false, from: Written[] = written): Written[] {
  const latest = new Map<string, bigint>();
  for (const w of from) if (w.offset < end) latest.set(w.key, w.offset);
  return from.filter(
    (w) => w.offset >= end || (latest.get(w.key) === w.offset && !(dropTombstones && w.value === null)),
  );
}

const logBytes = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
const activeFile = (log: PartitionLog) => log.allSegments[log.allSegments.length - 1].path('.log');

describe('compaction', () => {
  it('keeps only the latest value per key at its original offset; segments shrink and merge', () => {
    const log = open();
    updates(log, ['a', 'b', 'c', 'd', 'e'], 150);
    // Two compressed multi-record batches: their survivors stay compressed with the same codec.
    append(
      log,
      [
        { key: 'g', value: 'g1' },
        { key: 'h', value: 'h1' },
        { key: 'a', value: 'a-gzip' },
      ],
      {
        compression: Compression.Gzip,
      },
    );
    append(
      log,
      [
        { key: 'g', value: 'g2' },
        { key: 'i', value: 'i1' },
      ],
      { compression: Compression.Zstd },
    );
    updates(log, ['b', 'c'], 30);
    const segmentsBefore = log.segmentCount;
    const bytesBefore = logBytes(log.dir);
    const activeBefore = readFileSync(activeFile(log));
    const activeBase = log.allSegments[segmentsBefore - 1].baseOffset;
    const leo = log.logEndOffset;
    expect(segmentsBefore).toBeGreaterThan(10);

    const [result, ...others] = cleaner().cleanNow(T0 + 60_000);
    expect(others).toEqual([]);
    expect(result).toMatchObject({ topic: 't', partition: 0, firstDirtyOffset: 0n, endOffset: activeBase });
    expect(result.recordsRemoved).toBeGreaterThan(150);

    // On disk: fewer, smaller files; the active segment byte for byte as it was.
    expect(logBytes(log.dir)).toBeLessThan(bytesBefore / 4);
    expect(log.segmentCount).toBeLessThan(segmentsBefore);
    expect(result.segmentsAfter).toBe(log.segmentCount - 1);
    expect(readFileSync(activeFile(log)).equals(activeBefore)).toBe(true);
    expect(readdirSync(log.dir).filter((f) => /\.(cleaned|swap)$/.test(f))).toEqual([]);

    // What a consumer reads: exactly the model, offsets increasing, log end offset unchanged.
    const reads = readAll(log);
    expect(view(reads)).toEqual(compacted(activeBase));
    expect(log.logEndOffset).toBe(leo);
    expect(log.logStartOffset).toBe(0n);
    for (const k of ['a', 'd', 'e', 'g', 'h', 'i'])
      expect(reads.filter((r) => r.record.key?.toString() === k)).toHaveLength(1);
    // Survivors of compressed batches: same codec, the original batch's offset span.
    const g2 = reads.find((r) => r.record.value?.toString() === 'g2')!;
    expect(compressionOf(g2.header.attributes)).toBe(Compression.Zstd);
    const i1 = reads.find((r) => r.record.value?.toString() === 'i1')!;
    expect(g2.header.baseOffset + BigInt(g2.header.lastOffsetDelta)).toBe(i1.record.offset);
    const h1 = reads.find((r) => r.record.value?.toString() === 'h1')!;
    const aGzip = reads.find((r) => r.record.key?.toString() === 'a')!;
    expect(aGzip.record.value?.toString()).toBe('a-gzip');
    expect(compressionOf(h1.header.attributes)).toBe(Compression.Gzip);
    expect([h1.header.recordCount, h1.header.lastOffsetDelta]).toEqual([2, 2]);
    expect(aGzip.record.offset - h1.record.offset).toBe(1n);

    // A second round with nothing new to clean does nothing.
    expect(cleaner().cleanNow(T0 + 60_000)).toEqual([]);
  });

  it('serves reads and timestamp lookups from compacted-away offsets', () => {
    const log = open();
    for (let i = 0; i < 60; i++) append(log, [{ key: `k${i % 3}`, value: `v${i}`.padEnd(60), ts: T0 + i }]);
    const [result] = cleaner().cleanNow(T0 + 60_000);
    const survivors = compacted(result.endOffset).map((w) => w.offset);
    // Fetching from an offset that is gone returns the next surviving one (docs: "equivalent positions").
    for (let o = 0n; o < log.logEndOffset; o++) {
      const r = log.read(o, 1, log.logEndOffset, true);
      const first = decodeBatches(r.records!)[0].records.find((x) => x.offset >= o)!;
      expect(first.offset).toBe(survivors.find((s) => s >= o));
    }
    // ListOffsets by timestamp: the first surviving record at or after it.
    const found = offsetForTimestamp(log, BigInt(T0 + 5), log.logEndOffset);
    const want = survivors.find((s) => s >= 5n)!;
    expect(found).toEqual({ offset: want, timestamp: BigInt(T0) + want });
  });

  it('keeps a tombstone until its delete horizon (delete.retention.ms after the clean that saw it)', () => {
    const log = open();
    updates(log, ['a', 'b', 'c'], 30);
    const tombstone = append(log, [{ key: 'b', value: null, ts: T0 + 100 }]).baseOffset;
    updates(log, ['a', 'c', 'x', 'y'], 40, T0 + 200);
    const now = T0 + 60_000;
    const [first] = cleaner().cleanNow(now);
    expect(first.endOffset).toBeGreaterThan(tombstone);
    let reads = readAll(log);
    expect(view(reads)).toEqual(compacted(first.endOffset));
    const kept = reads.find((r) => r.record.offset === tombstone)!;
    expect(kept.record.value).toBeNull();
    // KIP-534: the batch carries its delete horizon in baseTimestamp; record timestamps are unchanged.
    expect(hasDeleteHorizon(kept.header.attributes)).toBe(true);
    expect(kept.header.baseTimestamp).toBe(BigInt(now + RETENTION));
    expect(kept.record.timestamp).toBe(BigInt(T0 + 100));

    // Before the horizon: nothing to do, the tombstone stays.
    expect(cleaner().cleanNow(now + RETENTION - 1)).toEqual([]);
    expect(readAll(log).some((r) => r.record.offset === tombstone)).toBe(true);
    // At the horizon a clean is due although nothing is dirty, and the tombstone goes.
    const [second] = cleaner().cleanNow(now + RETENTION);
    expect(second.recordsRemoved).toBe(1);
    reads = readAll(log);
    expect(reads.filter((r) => r.record.key?.toString() === 'b')).toEqual([]);
    expect(view(reads)).toEqual(compacted(first.endOffset, true));
    expect(cleaner().cleanNow(now + RETENTION * 10)).toEqual([]);
  });

  it('does not compact records newer than min.compaction.lag.ms', () => {
    const log = open({ minCompactionLagMs: 60_000 });
    updates(log, ['a', 'b'], 40, T0);
    const recentFrom = BigInt(written.length);
    updates(log, ['a', 'b'], 40, T0 + 100_000);
    const before = readAll(log);
    const [result] = cleaner().cleanNow(T0 + 120_000);
    // Only segments whose newest record is older than the lag were cleaned.
    expect(result.endOffset).toBeLessThanOrEqual(recentFrom);
    const reads = readAll(log);
    expect(view(reads)).toEqual(compacted(result.endOffset));
    expect(view(reads.filter((r) => r.record.offset >= recentFrom))).toEqual(
      view(before.filter((r) => r.record.offset >= recentFrom)),
    );
    // Once they are old enough, the rest is compacted too.
    const [later] = cleaner().cleanNow(T0 + 200_000);
    expect(view(readAll(log))).toEqual(compacted(later.endOffset));
  });

  it('waits for min.cleanable.dirty.ratio, or max.compaction.lag.ms, and cleans only compacted topics', () => {
    const log = open({ minCleanableDirtyRatio: 0.9 });
    updates(
      log,
      Array.from({ length: 60 }, (_, i) => `k${i}`),
      60,
    );
    expect(cleaner().cleanNow(T0 + 1000)).toHaveLength(1); // all dirty: ratio 1
    updates(log, ['k0', 'k1', 'k2'], 15); // a little dirty data after a large clean head
    expect(cleaner().cleanNow(T0 + 1000)).toEqual([]);
    log.config = { ...log.config, maxCompactionLagMs: 10_000 };
    expect(cleaner().cleanNow(T0 + 5_000)).toEqual([]);
    expect(cleaner().cleanNow(T0 + 20_000)).toHaveLength(1);

    log.config = { ...log.config, cleanupPolicy: ['delete'] };
    updates(log, ['a'], 40);
    expect(cleaner().cleanNow(T0 + 1_000_000)).toEqual([]);
  });

  it('with cleanup.policy=compact,delete both compaction and retention apply', () => {
    const log = open({ cleanupPolicy: ['compact', 'delete'], retentionMs: 100_000 });
    updates(
      log,
      Array.from({ length: 30 }, (_, i) => `u${i}`),
      30,
      T0,
    );
    updates(log, ['a', 'b'], 40, T0 + 200_000);
    const [result] = cleaner().cleanNow(T0 + 250_000);
    expect(view(readAll(log))).toEqual(compacted(result.endOffset));
    // Retention then drops the old segments (unique keys, all kept by compaction) by time.
    expect(log.applyRetention(T0 + 250_000)).toBeGreaterThan(0);
    expect(log.logStartOffset).toBeGreaterThan(0n);
    const reads = view(readAll(log));
    expect(reads.filter((w) => w.key === 'u0')).toEqual([]);
    expect(reads).toEqual(compacted(result.endOffset).filter((w) => w.offset >= log.logStartOffset));
  });

  it('drops aborted transactional data, keeps markers, stops at open transactions, keeps producer state', () => {
    const log = open();
    append(log, [{ key: 'k', value: 'committed' }]);
    const txn = (pid: bigint, value: string) =>
      encodeBatch({
        producerId: pid,
        producerEpoch: 0,
        baseSequence: 0,
        transactional: true,
        records: [{ key: Buffer.from('k'), value: Buffer.from(value.padEnd(200)), timestamp: BigInt(T0) }],
      });
    const aborted = appendRaw(log, txn(7n, 'aborted')).baseOffset;
    const marker = appendRaw(
      log,
      encodeEndTxnMarker({ commit: false, coordinatorEpoch: 0, producerId: 7n, producerEpoch: 0 }),
    ).baseOffset;
    // An idempotent producer whose batches are all superseded: its last batch stays, empty.
    const idem1 = append(log, [{ key: 'p', value: 'p1' }], { pid: 9n }).baseOffset;
    const idem2 = append(log, [{ key: 'p', value: 'p2' }], { pid: 9n }).baseOffset;
    updates(log, ['p', 'x', 'y', 'z'], 40);
    const openTxn = appendRaw(log, txn(8n, 'open')).baseOffset;
    updates(log, ['x', 'y', 'z'], 40);

    const [result] = cleaner().cleanNow(T0 + 60_000);
    // The open transaction bounds cleaning: its segment and everything after stay as written.
    expect(result.endOffset).toBeLessThanOrEqual(openTxn);
    expect(result.endOffset).toBeGreaterThan(idem2);
    const reads = readAll(log);
    // The aborted value is gone and did not shadow the committed one; the ABORT marker stays.
    const ks = reads.filter((r) => r.record.key?.toString() === 'k' && r.record.offset < result.endOffset);
    expect(ks.map((r) => [r.record.offset, r.record.value?.toString()])).toEqual([[0n, 'committed']]);
    expect(reads.some((r) => r.record.offset === aborted)).toBe(false);
    expect(reads.find((r) => r.record.offset === marker)?.header.attributes).toBe(0x30);

    const batches = decodeBatches(log.read(0n, 1 << 20, log.logEndOffset, true).records!);
    expect(batches.some((b) => b.header.baseOffset === idem1)).toBe(false);
    const empty = batches.find((b) => b.header.baseOffset === idem2)!;
    expect([empty.header.recordCount, empty.header.producerId, empty.records]).toEqual([0, 9n, []]);
  });
});

describe('checkpoint, reopen and crash recovery', () => {
  it('reopens a cleaned log, keeps the cleaner checkpoint and cleans only new dirt next time', () => {
    let log = open();
    updates(log, ['a', 'b', 'c', 'd'], 80);
    const [first] = cleaner().cleanNow(T0 + 60_000);
    const cleanedView = view(readAll(log));
    const leo = log.logEndOffset;
    manager!.close();
    manager = null;
    const cp = readFileSync(join(root, CLEANER_OFFSET_CHECKPOINT), 'utf8');
    expect(cp).toBe(`0\n1\nt 0 ${first.endOffset}\n`);

    log = open();
    expect(view(readAll(log))).toEqual(cleanedView);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([0n, leo]);
    expect(cleaner().firstDirtyOffset(log)).toBe(first.endOffset);
    expect(cleaner().cleanNow(T0 + 60_000)).toEqual([]);

    updates(log, ['a', 'b', 'e'], 60);
    const [second] = cleaner().cleanNow(T0 + 60_000);
    expect(second.firstDirtyOffset).toBe(first.endOffset);
    // Keys updated in the new dirty section lose their older values in the already-clean section too.
    expect(view(readAll(log))).toEqual(compacted(second.endOffset));
  });

  it('at open, deletes a leftover .cleaned file and completes a committed .swap', () => {
    const log = open();
    updates(log, ['a', 'b', 'c'], 60);
    const dir = log.dir;
    const before = join(root, 'before');
    mkdirSync(before);
    for (const f of readdirSync(dir)) copyFileSync(join(dir, f), join(before, f));
    const writtenBefore = [...written];
    const [result] = cleaner().cleanNow(T0 + 60_000);
    const cleanedFirst = readFileSync(join(dir, '00000000000000000000.log'));
    const swapEnd = decodeBatches(cleanedFirst).at(-1)!.records.at(-1)!.offset + 1n;
    manager!.close();
    manager = null;

    // A crash after the commit point: old segments and the swap file of the first group side by side.
    rmSync(dir, { recursive: true });
    mkdirSync(dir);
    for (const f of readdirSync(before)) copyFileSync(join(before, f), join(dir, f));
    writeFileSync(join(dir, '00000000000000000000.log.swap'), cleanedFirst);
    // And an uncommitted one of a later group.
    writeFileSync(join(dir, '00000000000000000040.log.cleaned'), 'garbage');
    const { log: recovered } = PartitionLog.open('t', 0, dir, COMPACT, {
      topicId: 'tid',
      cleanShutdown: false,
    });
    try {
      expect(readdirSync(dir).filter((f) => /\.(cleaned|swap)$/.test(f))).toEqual([]);
      const reads = view(readAll(recovered));
      // Below the swap's end: the cleaned records; from there on the old segments as they were.
      const keptOld = readdirSync(before)
        .filter((f) => f.endsWith('.log') && BigInt(f.slice(0, 20)) >= swapEnd)
        .map((f) => BigInt(f.slice(0, 20)));
      const oldFrom = keptOld.length > 0 ? keptOld.reduce((a, b) => (a < b ? a : b)) : result.endOffset;
      const expected = [
        ...compacted(result.endOffset, false, writtenBefore).filter((w) => w.offset < swapEnd),
        ...writtenBefore.filter((w) => w.offset >= oldFrom),
      ];
      expect(reads).toEqual(expected);
      expect(recovered.logEndOffset).toBe(BigInt(writtenBefore.length));
    } finally {
      recovered.close();
    }
  });
});
