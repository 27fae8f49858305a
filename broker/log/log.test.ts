/**
 * PartitionLog on real files: offset assignment, whole-batch reads (maxBytes, KIP-74 minOne, the high
 * watermark as upper bound), segment rolls on segment.bytes / segment.ms with 20-digit file names, the
 * sparse .index/.timeindex on disk, lookups by timestamp, DeleteRecords, retention by time and size,
 * clean reopen through LogManager (checkpoints) and truncation. Kafka docs: implementation.html "Log".
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeRecords,
  encodeBatch,
  readBatchHeader,
  validateProduceRecords,
  type BatchHeader,
} from '../protocol/records';
import { LogManager, type KnownTopic } from './log-manager';
import { OffsetOutOfRangeError, PartitionLog } from './partition-log';
import { maxTimestampOffset, offsetForTimestamp } from './timestamp-lookup';
import { effectiveLogConfig } from './topic-config';
import type { LogConfig } from './types';

const DEFAULTS = effectiveLogConfig({ staticProps: new Map() }, {});
const config = (o: Partial<LogConfig> = {}): LogConfig => ({ ...DEFAULTS, ...o });
const quiet = pino({ level: 'silent' });
const T0 = 1_700_000_000_000n;

interface Rec {
  offset: bigint;
  ts: bigint;
  key: string;
  value: string;
}
interface Spec {
  ts: bigint;
  key: string;
  value: string;
}
interface Written {
  base: bigint;
  last: bigint;
  size: number;
}

/** Deterministic pseudo-random numbers (a test must fail the same way twice). */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** A PartitionLog plus the model of what was written to it. */
class Fixture {
  readonly recs: Rec[] = [];
  readonly batches: Written[] = [];
  constructor(public log: PartitionLog) {}

  append(specs: Spec[], now?: number) {
    const buf = encodeBatch({
      records: specs.map((s) => ({ key: Buffer.from(s.key), value: Buffer.from(s.value), timestamp: s.ts })),
    });
    const v = validateProduceRecords(buf, { maxMessageBytes: 1 << 24 });
    if (!v.ok) throw new Error(v.message);
    const r = this.log.appendAsLeader(buf, v.batches, now);
    specs.forEach((s, i) => this.recs.push({ ...s, offset: r.baseOffset + BigInt(i) }));
    this.batches.push({ base: r.baseOffset, last: r.lastOffset, size: buf.length });
    return r;
  }

  /** n batches of 1-7 records, values 5-300 bytes, timestamps rising by ~10 ms with +-25 ms jitter. */
  appendMany(n: number, seed = 1) {
    const rand = rng(seed);
    for (let b = 0; b < n; b++) {
      const count = 1 + rand(7);
      const specs: Spec[] = [];
      for (let i = 0; i < count; i++) {
        const seq = this.recs.length + specs.length;
        specs.push({
          ts: T0 + BigInt(seq * 10 + rand(51) - 25),
          key: `k${seq}`,
          value: `v${seq}-`.padEnd(5 + rand(296), 'x'),
        });
      }
      this.append(specs);
    }
  }

  batchOf(offset: bigint): Written {
    return this.batches.find((b) => b.base <= offset && offset <= b.last)!;
  }
}

/** Splits a read into batches, failing unless it is whole batches back to back. */
function splitBatches(
  buf: Buffer,
): { header: BatchHeader; size: number; records: ReturnType<typeof decodeRecords> }[] {
  const out = [];
  let pos = 0;
  while (pos < buf.length) {
    const header = readBatchHeader(buf, pos);
    const size = header.batchLength + 12;
    expect(pos + size, 'read ends inside a batch').toBeLessThanOrEqual(buf.length);
    out.push({ header, size, records: decodeRecords(buf.subarray(pos, pos + size)) });
    pos += size;
  }
  return out;
}

const lastOf = (h: BatchHeader) => h.baseOffset + BigInt(h.lastOffsetDelta);

function logFiles(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort();
}
const baseOf = (file: string) => BigInt(file.slice(0, 20));

function indexEntries(file: string, size: 8 | 12): number[][] {
  const b = readFileSync(file);
  expect(b.length % size, `${file} holds whole ${size}-byte entries`).toBe(0);
  const out: number[][] = [];
  for (let at = 0; at < b.length; at += size)
    out.push(
      size === 8
        ? [b.readInt32BE(at), b.readInt32BE(at + 4)]
        : [Number(b.readBigInt64BE(at)), b.readInt32BE(at + 8)],
    );
  return out;
}

/** Position, size and offsets of every batch in a .log file, read straight from disk. */
function batchesOnDisk(
  file: string,
): { pos: number; size: number; base: bigint; last: bigint; maxTs: bigint }[] {
  const data = readFileSync(file);
  const out = [];
  for (let pos = 0; pos < data.length;) {
    const h = readBatchHeader(data, pos);
    expect([h.magic, h.batchLength >= 49, pos + h.batchLength + 12 <= data.length]).toEqual([2, true, true]);
    out.push({ pos, size: h.batchLength + 12, base: h.baseOffset, last: lastOf(h), maxTs: h.maxTimestamp });
    pos += h.batchLength + 12;
  }
  return out;
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'plog-test-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function openLog(cfg: LogConfig): Fixture {
  const { log } = PartitionLog.open('t', 0, join(root, 't-0'), cfg, { topicId: 'id', cleanShutdown: true });
  return new Fixture(log);
}

describe('appends and reads', () => {
  it('assigns contiguous offsets batch after batch', () => {
    const f = openLog(config());
    expect(f.log.logEndOffset).toBe(0n);
    f.appendMany(60);
    let next = 0n;
    for (const b of f.batches) {
      expect(b.base).toBe(next);
      next = b.last + 1n;
    }
    expect(f.log.logEndOffset).toBe(BigInt(f.recs.length));
    // The assigned offsets are patched into the batches as stored.
    const stored = batchesOnDisk(join(f.log.dir, '00000000000000000000.log'));
    expect(stored.map((b) => [b.base, b.last])).toEqual(f.batches.map((b) => [b.base, b.last]));
    f.log.close();
  });

  it('reads from any offset the batch holding it, whole batches only, and the records as written', () => {
    const f = openLog(config({ segmentBytes: 4096 }));
    f.appendMany(80, 7);
    const leo = f.log.logEndOffset;
    expect(f.log.segmentCount).toBeGreaterThan(2);
    for (let o = 0n; o < leo; o++) {
      // maxBytes 1 with minOne: exactly the batch holding o, whatever its size (KIP-74).
      const one = f.log.read(o, 1, leo, true);
      const [only, ...rest] = splitBatches(one.records!);
      expect(rest).toEqual([]);
      const want = f.batchOf(o);
      expect([only.header.baseOffset, lastOf(only.header)]).toEqual([want.base, want.last]);
      expect(one.nextOffset).toBe(want.last + 1n);
      for (const r of only.records) {
        const rec = f.recs[Number(r.offset)];
        expect([r.key?.toString(), r.value?.toString(), r.timestamp]).toEqual([rec.key, rec.value, rec.ts]);
      }
      // A large read: a run of batches from that one on, contiguous, ending where nextOffset says.
      const many = f.log.read(o, 1 << 20, leo, true);
      const got = splitBatches(many.records!);
      expect(got[0].header.baseOffset).toBe(want.base);
      for (let i = 1; i < got.length; i++)
        expect(got[i].header.baseOffset).toBe(lastOf(got[i - 1].header) + 1n);
      expect(many.nextOffset).toBe(lastOf(got[got.length - 1].header) + 1n);
    }
    // Everything is reachable by following nextOffset.
    let o = 0n;
    let seen = 0;
    while (o < leo) {
      const r = f.log.read(o, 1 << 20, leo, true);
      for (const b of splitBatches(r.records!)) seen += b.records.length;
      o = r.nextOffset;
    }
    expect(seen).toBe(f.recs.length);
    f.log.close();
  });

  it('honours maxBytes, except for the first batch when minOne', () => {
    const f = openLog(config());
    f.appendMany(40, 3);
    const leo = f.log.logEndOffset;
    for (let i = 0; i < f.batches.length - 3; i++) {
      const [b0, b1, b2] = f.batches.slice(i, i + 3);
      const two = b0.size + b1.size;
      const cases: [number, boolean, Written[]][] = [
        [b0.size - 1, true, [b0]],
        [b0.size - 1, false, []],
        [b0.size, false, [b0]],
        [two - 1, false, [b0]],
        [two, false, [b0, b1]],
        [two + b2.size - 1, true, [b0, b1]],
        [two + b2.size, true, [b0, b1, b2]],
      ];
      for (const [maxBytes, minOne, want] of cases) {
        const r = f.log.read(b0.base, maxBytes, leo, minOne);
        const got = r.records ? splitBatches(r.records) : [];
        expect(
          got.map((b) => b.header.baseOffset),
          `maxBytes ${maxBytes} minOne ${minOne}`,
        ).toEqual(want.map((b) => b.base));
        expect(r.nextOffset).toBe(want.length ? want[want.length - 1].last + 1n : b0.base);
      }
    }
    f.log.close();
  });

  it('never returns a batch at or past the upper bound (high watermark)', () => {
    const f = openLog(config({ segmentBytes: 2048 }));
    f.appendMany(40, 5);
    const leo = f.log.logEndOffset;
    for (const hwBatch of [f.batches[0], f.batches[13], f.batches[27], f.batches[39]]) {
      const hw = hwBatch.base;
      for (let o = 0n; o <= leo; o++) {
        const r = f.log.read(o, 1 << 20, hw, true);
        if (o >= hw) {
          expect(r).toEqual({ records: null, nextOffset: o });
          continue;
        }
        const got = splitBatches(r.records!);
        expect(got[0].header.baseOffset).toBe(f.batchOf(o).base);
        for (const b of got) expect(lastOf(b.header)).toBeLessThan(hw);
        expect(r.nextOffset).toBeLessThanOrEqual(hw);
      }
    }
    f.log.close();
  });

  it('rejects offsets outside [logStartOffset, logEndOffset] and answers nothing at the end', () => {
    const f = openLog(config());
    f.appendMany(5);
    const leo = f.log.logEndOffset;
    expect(f.log.read(leo, 1000, leo, true)).toEqual({ records: null, nextOffset: leo });
    expect(() => f.log.read(leo + 1n, 1000, leo, true)).toThrow(OffsetOutOfRangeError);
    expect(() => f.log.read(-1n, 1000, leo, true)).toThrow(OffsetOutOfRangeError);
    f.log.close();
  });

  it('stamps LogAppendTime batches with the broker clock and indexes that time', () => {
    const f = openLog(config({ messageTimestampType: 'LogAppendTime' }));
    for (let i = 0; i < 3; i++) {
      const r = f.append(
        [0, 1].map((j) => ({ ts: 5n, key: `k${i}${j}`, value: 'v' })),
        1_000 * (i + 1),
      );
      expect(r.logAppendTime).toBe(BigInt(1_000 * (i + 1)));
    }
    const [b] = splitBatches(f.log.read(2n, 1, 6n, true).records!);
    expect(b.header.maxTimestamp).toBe(2_000n);
    expect(b.records.map((r) => r.timestamp)).toEqual([2_000n, 2_000n]);
    expect(offsetForTimestamp(f.log, 1_500n, 6n)).toEqual({ timestamp: 2_000n, offset: 2n });
    expect(offsetForTimestamp(f.log, 2_000n, 6n)).toEqual({ timestamp: 2_000n, offset: 2n });
    expect(offsetForTimestamp(f.log, 3_001n, 6n)).toBeNull();
    f.log.close();
  });
});

describe('segments', () => {
  it('rolls on segment.bytes; files are named by their 20-digit base offset', () => {
    const f = openLog(config({ segmentBytes: 1024 }));
    f.appendMany(30, 11);
    f.append([{ ts: T0, key: 'big', value: 'x'.repeat(2000) }]); // bigger than a segment: alone in one
    f.appendMany(10, 12);
    const files = logFiles(f.log.dir, '.log');
    expect(files.length).toBe(f.log.segmentCount);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(file).toMatch(/^\d{20}\.log$/);
    expect(files[0]).toBe('00000000000000000000.log');
    let expectedBase = 0n;
    for (let i = 0; i < files.length; i++) {
      const onDisk = batchesOnDisk(join(f.log.dir, files[i]));
      expect(baseOf(files[i])).toBe(expectedBase);
      expect(onDisk[0].base).toBe(expectedBase);
      const size = statSync(join(f.log.dir, files[i])).size;
      if (onDisk.length > 1) expect(size).toBeLessThanOrEqual(1024);
      expectedBase = onDisk[onDisk.length - 1].last + 1n;
      if (i < files.length - 1) {
        // It rolled because the next batch did not fit, not earlier.
        expect(size + f.batchOf(expectedBase).size).toBeGreaterThan(1024);
      }
      for (const ext of ['.index', '.timeindex'])
        expect(existsSync(join(f.log.dir, files[i].replace('.log', ext)))).toBe(true);
    }
    expect(expectedBase).toBe(f.log.logEndOffset);
    f.log.close();
  });

  it('rolls on segment.ms, but not a segment still young', () => {
    const f = openLog(config({ segmentMs: 60_000 }));
    f.appendMany(3);
    f.append([{ ts: T0, key: 'a', value: 'a' }], Date.now() + 1_000);
    expect(f.log.segmentCount).toBe(1);
    const late = f.append([{ ts: T0, key: 'b', value: 'b' }], Date.now() + 61_000);
    expect(f.log.segmentCount).toBe(2);
    expect(logFiles(f.log.dir, '.log').map(baseOf)).toEqual([0n, late.baseOffset]);
    f.append([{ ts: T0, key: 'c', value: 'c' }], Date.now() + 1_000);
    expect(f.log.segmentCount).toBe(2);
    f.log.close();
  });

  it('writes .index (8-byte) and .timeindex (12-byte) entries every index.interval.bytes, monotonic', () => {
    const interval = 300;
    const f = openLog(config({ segmentBytes: 8192, indexIntervalBytes: interval }));
    f.appendMany(120, 21);
    f.log.flush(); // index entries reach their files at flush, roll and close
    const maxBatch = Math.max(...f.batches.map((b) => b.size));
    const files = logFiles(f.log.dir, '.log');
    expect(files.length).toBeGreaterThan(2);
    let totalEntries = 0;
    for (const file of files) {
      const base = baseOf(file);
      const batches = batchesOnDisk(join(f.log.dir, file));
      const byPos = new Map(batches.map((b) => [b.pos, b]));
      const offsets = indexEntries(join(f.log.dir, file.replace('.log', '.index')), 8);
      const times = indexEntries(join(f.log.dir, file.replace('.log', '.timeindex')), 12);
      totalEntries += offsets.length;
      // Offset index: (relative last offset of a batch, that batch's position), strictly increasing.
      for (let i = 0; i < offsets.length; i++) {
        const [rel, pos] = offsets[i];
        const b = byPos.get(pos);
        expect(b, `entry ${i} points at a batch start`).toBeDefined();
        expect(base + BigInt(rel)).toBe(b!.last);
        if (i > 0) {
          expect(rel).toBeGreaterThan(offsets[i - 1][0]);
          // Sparse: more than index.interval.bytes of log between two entries.
          expect(pos + b!.size - offsets[i - 1][1]).toBeGreaterThan(interval);
        }
      }
      // Dense enough: no batch starts further than interval + one batch past the last entry before it.
      for (const b of batches) {
        const prev = offsets.filter(([, pos]) => pos <= b.pos).pop()?.[1] ?? 0;
        expect(b.pos - prev).toBeLessThanOrEqual(interval + maxBatch);
      }
      // Time index: (max timestamp so far, relative offset of the batch holding it), both increasing.
      const recs = f.recs.filter((r) => r.offset >= base && r.offset < base + 100_000n);
      for (let i = 0; i < times.length; i++) {
        const [ts, rel] = times[i];
        if (i > 0) {
          expect(ts).toBeGreaterThan(times[i - 1][0]);
          expect(rel).toBeGreaterThanOrEqual(times[i - 1][1]);
        }
        const upTo = recs.filter((r) => r.offset <= base + BigInt(rel));
        expect(BigInt(ts)).toBe(upTo.reduce((m, r) => (r.ts > m ? r.ts : m), -1n));
      }
      expect(times.length).toBeGreaterThan(0);
    }
    expect(totalEntries).toBeGreaterThanOrEqual(Math.floor(f.log.sizeBytes / (interval + maxBatch)));
    f.log.close();
  });
});

describe('lookups by timestamp', () => {
  const firstAtOrAfter = (recs: Rec[], ts: bigint, from: bigint, upper: bigint) =>
    recs.find((r) => r.offset >= from && r.offset < upper && r.ts >= ts) ?? null;

  it('finds the first record with timestamp >= target across segments (ListOffsets)', () => {
    const f = openLog(config({ segmentBytes: 1500, indexIntervalBytes: 200 }));
    f.appendMany(100, 31);
    expect(f.log.segmentCount).toBeGreaterThan(5);
    const leo = f.log.logEndOffset;
    const targets = new Set<bigint>();
    for (const r of f.recs) [r.ts - 1n, r.ts, r.ts + 1n].forEach((t) => targets.add(t));
    const check = (upper: bigint, from: bigint) => {
      for (const t of targets) {
        const want = firstAtOrAfter(f.recs, t, from, upper);
        expect(offsetForTimestamp(f.log, t, upper), `ts ${t} upper ${upper}`).toEqual(
          want && { timestamp: want.ts, offset: want.offset },
        );
      }
    };
    check(leo, 0n);
    // Before every record: the first one; after every record: none.
    expect(offsetForTimestamp(f.log, 0n, leo)).toEqual({ timestamp: f.recs[0].ts, offset: 0n });
    const maxTs = f.recs.reduce((m, r) => (r.ts > m ? r.ts : m), 0n);
    expect(offsetForTimestamp(f.log, maxTs + 1n, leo)).toBeNull();
    // Below a high watermark, and after DeleteRecords moved the log start into a segment.
    check(f.batches[70].base, 0n);
    const start = f.recs[123].offset;
    f.log.deleteRecordsBefore(start);
    check(leo, start);
    expect(offsetForTimestamp(f.log, 0n, leo)?.offset).toBe(start);
    f.log.close();
  });

  it('finds the record with the largest timestamp (MAX_TIMESTAMP, KIP-734)', () => {
    const f = openLog(config({ segmentBytes: 1000 }));
    f.appendMany(30, 41);
    // A record far ahead of the others, in a middle segment, followed by older ones.
    const top = f.append([{ ts: T0 + 10_000_000n, key: 'top', value: 'top' }]);
    f.appendMany(20, 43);
    const leo = f.log.logEndOffset;
    expect(maxTimestampOffset(f.log, leo)).toEqual({ timestamp: T0 + 10_000_000n, offset: top.baseOffset });
    // Equal maxima: the first one wins.
    f.append([{ ts: T0 + 10_000_000n, key: 'top2', value: 'top2' }]);
    expect(maxTimestampOffset(f.log, f.log.logEndOffset)?.offset).toBe(top.baseOffset);
    f.log.close();
  });
});

describe('deleting', () => {
  it('DeleteRecords moves the log start offset and drops whole segments below it, never the active one', () => {
    const f = openLog(config({ segmentBytes: 1024 }));
    f.appendMany(50, 51);
    const bases = logFiles(f.log.dir, '.log').map(baseOf);
    expect(bases.length).toBeGreaterThan(4);
    const target = bases[2] + 1n; // inside the third segment
    expect(f.log.deleteRecordsBefore(target)).toBe(target);
    expect(f.log.logStartOffset).toBe(target);
    expect(logFiles(f.log.dir, '.log').map(baseOf)).toEqual(bases.slice(2));
    expect(logFiles(f.log.dir, '.index').length).toBe(bases.length - 2);
    expect(() => f.log.read(target - 1n, 1000, f.log.logEndOffset, true)).toThrow(OffsetOutOfRangeError);
    const r = splitBatches(f.log.read(target, 1, f.log.logEndOffset, true).records!);
    expect(r[0].header.baseOffset).toBe(f.batchOf(target).base);
    // Never backwards.
    expect(f.log.deleteRecordsBefore(bases[1])).toBe(target);
    // Up to the log end: every segment but the active one goes.
    const leo = f.log.logEndOffset;
    expect(f.log.deleteRecordsBefore(leo)).toBe(leo);
    expect(logFiles(f.log.dir, '.log').map(baseOf)).toEqual([bases[bases.length - 1]]);
    expect(f.log.read(leo, 1000, leo, true).records).toBeNull();
    f.append([{ ts: T0, key: 'after', value: 'after' }]);
    expect(f.log.logEndOffset).toBe(leo + 1n);
    f.log.close();
  });

  it('retention.ms deletes segments whose largest timestamp is too old, oldest first, not the active one', () => {
    const f = openLog(config({ segmentBytes: 1024, retentionMs: 1_000 }));
    f.appendMany(50, 61);
    const files = logFiles(f.log.dir, '.log');
    const maxTs = files.map((file) =>
      batchesOnDisk(join(f.log.dir, file)).reduce((m, b) => (b.maxTs > m ? b.maxTs : m), -1n),
    );
    // Segment 2's newest record is exactly retention.ms old: kept (strictly older goes).
    const now = Number(maxTs[2]) + 1_000;
    const eligible = maxTs.findIndex((t) => now - Number(t) <= 1_000);
    expect(f.log.applyRetention(now)).toBe(eligible);
    expect(logFiles(f.log.dir, '.log')).toEqual(files.slice(eligible));
    expect(f.log.logStartOffset).toBe(baseOf(files[eligible]));
    // Everything old: all but the active segment.
    expect(f.log.applyRetention(Number(T0) + 10_000_000)).toBe(files.length - eligible - 1);
    expect(logFiles(f.log.dir, '.log')).toEqual([files[files.length - 1]]);
    expect(f.log.logStartOffset).toBe(baseOf(files[files.length - 1]));
    expect(f.log.logEndOffset).toBe(BigInt(f.recs.length));
    f.log.close();
  });

  it('retention.bytes deletes the oldest segments while the rest stays at or above the limit', () => {
    const f = openLog(config({ segmentBytes: 1024, retentionBytes: 3_000 }));
    f.appendMany(50, 71);
    const files = logFiles(f.log.dir, '.log');
    const sizes = files.map((file) => statSync(join(f.log.dir, file)).size);
    const deleted = f.log.applyRetention(Number(T0));
    const left = logFiles(f.log.dir, '.log');
    expect(left).toEqual(files.slice(deleted));
    const remaining = sizes.slice(deleted).reduce((a, b) => a + b, 0);
    expect(f.log.sizeBytes).toBe(remaining);
    expect(remaining).toBeGreaterThanOrEqual(3_000);
    expect(remaining - sizes[deleted]).toBeLessThan(3_000);
    expect(f.log.logStartOffset).toBe(baseOf(left[0]));
    // A limit below the active segment's size still keeps the active segment.
    f.log.config = config({ segmentBytes: 1024, retentionBytes: 0 });
    f.log.applyRetention(Number(T0));
    expect(logFiles(f.log.dir, '.log')).toEqual([files[files.length - 1]]);
    f.log.close();
  });

  it('retention does nothing on a compact-only topic or with both limits at -1', () => {
    const f = openLog(config({ segmentBytes: 1024, retentionMs: -1, retentionBytes: -1 }));
    f.appendMany(30, 81);
    const files = logFiles(f.log.dir, '.log');
    expect(f.log.applyRetention(Number(T0) + 10_000_000)).toBe(0);
    f.log.config = config({
      segmentBytes: 1024,
      retentionMs: 0,
      retentionBytes: 0,
      cleanupPolicy: ['compact'],
    });
    expect(f.log.applyRetention(Number(T0) + 10_000_000)).toBe(0);
    expect(logFiles(f.log.dir, '.log')).toEqual(files);
    f.log.close();
  });
});

describe('reopen and truncate', () => {
  const topic = (cfg: LogConfig): KnownTopic => ({ name: 't', topicId: 'tid', partitions: [0], config: cfg });

  it('a clean reopen through LogManager restores LEO, log start offset, high watermark and the data', () => {
    const cfg = config({ segmentBytes: 1024, indexIntervalBytes: 200 });
    let m = LogManager.open([root], [topic(cfg)], quiet);
    const f = new Fixture(m.get('t', 0)!);
    f.appendMany(40, 91);
    const leo = f.log.logEndOffset;
    const start = f.recs[37].offset;
    f.log.deleteRecordsBefore(start);
    const hw = f.batches[30].base;
    f.log.highWatermark = hw;
    const dir = f.log.dir;
    f.log.flush(); // index entries reach their files at flush, roll and close
    const indexBefore = logFiles(dir, '.index').map((x) => readFileSync(join(dir, x)));
    const timeBefore = logFiles(dir, '.timeindex').map((x) => readFileSync(join(dir, x)));
    m.close();
    expect(existsSync(join(root, '.kafka_cleanshutdown'))).toBe(true);

    m = LogManager.open([root], [topic(cfg)], quiet);
    const log = m.get('t', 0)!;
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark]).toEqual([start, leo, hw]);
    expect(logFiles(dir, '.index').map((x) => readFileSync(join(dir, x)))).toEqual(indexBefore);
    expect(logFiles(dir, '.timeindex').map((x) => readFileSync(join(dir, x)))).toEqual(timeBefore);
    for (const r of f.recs.filter((x) => x.offset >= start)) {
      const got = splitBatches(log.read(r.offset, 1, leo, true).records!)[0].records;
      expect(got.find((x) => x.offset === r.offset)?.value?.toString()).toBe(r.value);
    }
    f.log = log;
    expect(f.append([{ ts: T0, key: 'next', value: 'next' }]).baseOffset).toBe(leo);
    m.close();
  });

  it('truncateTo drops everything from the batch holding the offset; appends continue there', () => {
    const cfg = config({ segmentBytes: 4096, indexIntervalBytes: 200 });
    let m = LogManager.open([root], [topic(cfg)], quiet);
    const f = new Fixture(m.get('t', 0)!);
    f.appendMany(60, 101);
    const files = logFiles(f.log.dir, '.log');
    // Into the middle of an earlier segment, at a batch boundary.
    const cut = f.batchOf(baseOf(files[2]) + 1n).last + 1n;
    f.log.highWatermark = f.log.logEndOffset;
    f.log.truncateTo(cut);
    expect(f.log.logEndOffset).toBe(cut);
    expect(f.log.highWatermark).toBe(cut);
    expect(logFiles(f.log.dir, '.log')).toEqual(files.slice(0, 3));
    const active = join(f.log.dir, files[2]);
    f.log.flush(); // index entries reach their files at flush, roll and close
    expect(batchesOnDisk(active).pop()!.last).toBe(cut - 1n);
    const indexed = indexEntries(active.replace('.log', '.index'), 8);
    for (const [rel] of indexed) expect(baseOf(files[2]) + BigInt(rel)).toBeLessThan(cut);
    for (const [, rel] of indexEntries(active.replace('.log', '.timeindex'), 12))
      expect(baseOf(files[2]) + BigInt(rel)).toBeLessThan(cut);
    // Appends continue at the cut, and the new batches are readable right after the old ones.
    f.recs.splice(Number(cut));
    const a = f.append([{ ts: T0, key: 'new1', value: 'new1' }]);
    const b = f.append([{ ts: T0, key: 'new2', value: 'new2' }]);
    expect([a.baseOffset, b.baseOffset]).toEqual([cut, cut + 1n]);
    expect(logFiles(f.log.dir, '.log')).toEqual(files.slice(0, 3)); // into the truncated segment
    expect(statSync(active).size).toBe(batchesOnDisk(active).reduce((n, x) => n + x.size, 0));
    const read = (log: PartitionLog) => {
      const out: string[] = [];
      for (let o = cut - 3n; o < cut + 2n;) {
        const r = log.read(o, 1 << 20, log.logEndOffset, true);
        for (const bb of splitBatches(r.records!))
          for (const rec of bb.records) if (rec.offset >= cut - 3n) out.push(`${rec.offset}:${rec.key}`);
        o = r.nextOffset;
      }
      return out;
    };
    const want = [...f.recs.slice(Number(cut) - 3).map((r) => `${r.offset}:${r.key}`)];
    expect(read(f.log)).toEqual(want);
    const indexes = () =>
      [...logFiles(f.log.dir, '.index'), ...logFiles(f.log.dir, '.timeindex')].map((x) =>
        readFileSync(join(f.log.dir, x)).toString('hex'),
      );
    const written = indexes();
    m.close();
    // A reopen rebuilds the indexes from the log: what was written after the truncation matches them.
    m = LogManager.open([root], [topic(cfg)], quiet);
    expect(m.get('t', 0)!.logEndOffset).toBe(cut + 2n);
    expect(read(m.get('t', 0)!)).toEqual(want);
    expect(indexes()).toEqual(written);
    m.close();
  });
});
