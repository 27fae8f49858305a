/**
 * Log recovery on real files (Kafka docs, implementation.html "Log" / Guarantees): after a crash (no
 * clean-shutdown marker) the segments after the recovery point are validated batch by batch and the log
 * is truncated at the first invalid batch, whether bytes were lost (a torn write) or nonsense was added;
 * the indexes are rebuilt from the log. After a clean shutdown nothing is rescanned. As in Kafka
 * (UnifiedLog/LogLoader.recoverLog), only segments from the recovery point on are checked, and a
 * corrupt batch in a segment cuts the log there: every later segment is deleted.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRecords, encodeBatch, readBatchHeader, validateProduceRecords } from '../protocol/records';
import { CLEAN_SHUTDOWN_FILE, RECOVERY_POINT_CHECKPOINT, readCheckpoint } from './checkpoints';
import { LogManager, type KnownTopic } from './log-manager';
import type { PartitionLog } from './partition-log';
import { offsetForTimestamp } from './timestamp-lookup';
import { effectiveLogConfig } from './topic-config';

const CONFIG = {
  ...effectiveLogConfig({ staticProps: new Map() }, {}),
  segmentBytes: 2048,
  indexIntervalBytes: 200,
};
const TOPIC: KnownTopic = { name: 't', topicId: 'tid', partitions: [0], config: CONFIG };
const T0 = 1_700_000_000_000n;

interface Rec {
  offset: bigint;
  ts: bigint;
  key: string;
  value: string;
}
interface DiskBatch {
  file: string;
  pos: number;
  size: number;
  base: bigint;
  last: bigint;
}

let root: string;
let logLines: { msg: string; truncatedBytes?: number; partition?: string }[];
let recs: Rec[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'plog-recovery-'));
  logLines = [];
  recs = [];
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const logger = () =>
  pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as never) });
const open = () => LogManager.open([root], [TOPIC], logger());
const partDir = () => join(root, 't-0');

/** Appends n batches of 1-5 records with rising, slightly shuffled timestamps. */
function appendBatches(log: PartitionLog, n: number) {
  for (let b = 0; b < n; b++) {
    const count = 1 + ((b * 7 + recs.length) % 5);
    const specs = Array.from({ length: count }, (_, i) => {
      const seq = recs.length + i;
      return {
        ts: T0 + BigInt(seq * 10 + ((seq * 37) % 31) - 15),
        key: `k${seq}`,
        value: `value-${seq}-`.padEnd(20 + ((seq * 53) % 150), 'x'),
      };
    });
    const buf = encodeBatch({
      records: specs.map((s) => ({ key: Buffer.from(s.key), value: Buffer.from(s.value), timestamp: s.ts })),
    });
    const v = validateProduceRecords(buf, { maxMessageBytes: 1 << 20 });
    if (!v.ok) throw new Error(v.message);
    const r = log.appendAsLeader(buf, v.batches);
    specs.forEach((s, i) => recs.push({ ...s, offset: r.baseOffset + BigInt(i) }));
  }
}

/** A crash: file descriptors go away, nothing is flushed, checkpointed or marked clean. */
function crash(m: LogManager) {
  for (const l of m.all()) l.close();
}

const segmentFiles = (ext = '.log') =>
  readdirSync(partDir())
    .filter((f) => f.endsWith(ext))
    .sort();

function diskBatches(): DiskBatch[] {
  const out: DiskBatch[] = [];
  for (const file of segmentFiles()) {
    const data = readFileSync(join(partDir(), file));
    for (let pos = 0; pos + 61 <= data.length;) {
      const h = readBatchHeader(data, pos);
      const size = h.batchLength + 12;
      out.push({ file, pos, size, base: h.baseOffset, last: h.baseOffset + BigInt(h.lastOffsetDelta) });
      pos += size;
    }
  }
  return out;
}

function indexFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of [...segmentFiles('.index'), ...segmentFiles('.timeindex')])
    out[f] = readFileSync(join(partDir(), f)).toString('hex');
  return out;
}

function flipByte(file: string, pos: number) {
  const fd = openSync(join(partDir(), file), 'r+');
  const b = readFileSync(join(partDir(), file)).subarray(pos, pos + 1);
  writeSync(fd, Buffer.from([b[0] ^ 0x5a]), 0, 1, pos);
  closeSync(fd);
}

/** Every record the log serves, by following nextOffset from the log start. */
function readAll(log: PartitionLog): { offset: bigint; key: string; value: string; ts: bigint }[] {
  const out = [];
  for (let o = log.logStartOffset; o < log.logEndOffset;) {
    const r = log.read(o, 1 << 20, log.logEndOffset, true);
    if (!r.records) throw new Error(`nothing at ${o} below ${log.logEndOffset}`);
    for (let pos = 0; pos < r.records.length;) {
      const size = r.records.readInt32BE(pos + 8) + 12;
      for (const rec of decodeRecords(r.records.subarray(pos, pos + size)))
        out.push({
          offset: rec.offset,
          key: rec.key!.toString(),
          value: rec.value!.toString(),
          ts: rec.timestamp,
        });
      pos += size;
    }
    o = r.nextOffset;
  }
  return out;
}

/** The log holds exactly `want`, every offset reads back the batch holding it, and lookups agree. */
function expectServes(log: PartitionLog, want: Rec[]) {
  expect(log.logEndOffset).toBe(want.length ? want[want.length - 1].offset + 1n : 0n);
  expect(readAll(log)).toEqual(want.map(({ offset, key, value, ts }) => ({ offset, key, value, ts })));
  for (const r of want) {
    const one = log.read(r.offset, 1, log.logEndOffset, true).records!;
    expect(decodeRecords(one).some((x) => x.offset === r.offset)).toBe(true);
  }
  for (const r of want.filter((_, i) => i % 3 === 0)) {
    const first = want.find((x) => x.ts >= r.ts)!;
    expect(offsetForTimestamp(log, r.ts, log.logEndOffset)).toEqual({
      timestamp: first.ts,
      offset: first.offset,
    });
  }
}

/** Writes a log of several segments and returns it with its clean index files, then crashes. */
function writeAndCrash(batches = 40) {
  const m = open();
  appendBatches(m.get('t', 0)!, batches);
  expect(segmentFiles().length).toBeGreaterThan(3);
  // Index entries reach their files at flush/roll/close; write them out (no fsync, no checkpoint).
  for (const seg of m.get('t', 0)!.allSegments) {
    seg.offsetIndex.flush();
    seg.timeIndex.flush();
  }
  const indexes = indexFiles();
  crash(m);
  expect(existsSync(join(root, CLEAN_SHUTDOWN_FILE))).toBe(false);
  return { indexes, batches: diskBatches() };
}

/** Reopens after the damage; checks the surviving records, the rebuilt indexes, and the next append. */
function reopenAndCheck(
  keep: bigint,
  truncatedBytes: number,
  indexes: Record<string, string> | null,
  files?: string[],
) {
  const m = open();
  const log = m.get('t', 0)!;
  if (files) expect(segmentFiles()).toEqual(files);
  const survivors = recs.filter((r) => r.offset < keep);
  expectServes(log, survivors);
  const warned = logLines.filter((l) => l.msg === 'truncated a torn tail during recovery');
  if (truncatedBytes > 0) expect(warned).toMatchObject([{ partition: 't-0', truncatedBytes }]);
  else expect(warned).toEqual([]);
  if (indexes) expect(indexFiles()).toEqual(indexes);
  // No bytes past the last good batch remain on disk.
  const onDisk = segmentFiles().reduce((n, f) => n + statSync(join(partDir(), f)).size, 0);
  expect(onDisk).toBe(diskBatches().reduce((n, b) => n + b.size, 0));
  recs = survivors;
  const next = recs.length;
  appendBatches(log, 3);
  expect(recs[next].offset).toBe(keep);
  expectServes(log, recs);
  m.close();
  const again = open();
  expectServes(again.get('t', 0)!, recs);
  again.close();
}

describe('recovery after a crash', () => {
  it('cuts nonsense appended after the last batch; a deleted or corrupt .index is rebuilt', () => {
    const { indexes, batches } = writeAndCrash();
    const files = segmentFiles();
    const garbage = Buffer.from(Array.from({ length: 137 }, (_, i) => (i * 97 + 13) & 0xff));
    appendFileSync(join(partDir(), files[files.length - 1]), garbage);
    unlinkSync(join(partDir(), files[files.length - 1].replace('.log', '.index')));
    writeFileSync(join(partDir(), files[1].replace('.log', '.index')), garbage);
    writeFileSync(join(partDir(), files[0].replace('.log', '.timeindex')), Buffer.alloc(36, 0xff));
    reopenAndCheck(batches[batches.length - 1].last + 1n, 137, indexes);
  });

  it('cuts a batch torn in half (bytes lost at the tail)', () => {
    const { batches } = writeAndCrash();
    const last = batches[batches.length - 1];
    const fd = openSync(join(partDir(), last.file), 'r+');
    ftruncateSync(fd, last.pos + Math.floor(last.size / 2));
    closeSync(fd);
    reopenAndCheck(last.base, Math.floor(last.size / 2), null);
  });

  it('cuts the only batch of a freshly rolled segment when it is torn', () => {
    const m = open();
    const log = m.get('t', 0)!;
    appendBatches(log, 40);
    while (diskBatches().filter((b) => b.file === segmentFiles().pop()).length !== 1) appendBatches(log, 1);
    crash(m);
    const batches = diskBatches();
    const last = batches[batches.length - 1];
    expect(last.pos).toBe(0);
    const fd = openSync(join(partDir(), last.file), 'r+');
    ftruncateSync(fd, 30);
    closeSync(fd);
    reopenAndCheck(last.base, 30, null);
  });

  it('cuts a batch whose CRC no longer matches (a flipped byte in the last batch)', () => {
    const { batches } = writeAndCrash();
    const last = batches[batches.length - 1];
    flipByte(last.file, last.pos + last.size - 3);
    reopenAndCheck(last.base, last.size, null);
  });

  it('a corrupt batch in an earlier segment cuts the log there and drops the later segments', () => {
    const { batches } = writeAndCrash();
    const files = segmentFiles();
    const inSecond = batches.filter((b) => b.file === files[1]);
    const bad = inSecond[1];
    flipByte(bad.file, bad.pos + bad.size - 5);
    reopenAndCheck(bad.base, sizeFrom(batches, bad), null, files.slice(0, 2));
  });
});

describe('clean shutdown and the recovery point', () => {
  it('a clean start does not rescan CRCs: a corrupt middle batch stays; an unclean start cuts there', () => {
    let m = open();
    appendBatches(m.get('t', 0)!, 40);
    m.close();
    expect(existsSync(join(root, CLEAN_SHUTDOWN_FILE))).toBe(true);
    const batches = diskBatches();
    const files = segmentFiles();
    const bad = batches.filter((b) => b.file === files[files.length - 1])[1];
    flipByte(bad.file, bad.pos + bad.size - 5);

    m = open();
    const leo = m.get('t', 0)!.logEndOffset;
    expect(leo).toBe(recs[recs.length - 1].offset + 1n);
    // The corrupt batch is served as it is on disk (a consumer's CRC check will catch it).
    const served = m.get('t', 0)!.read(bad.base, 1, leo, true).records!;
    expect(served.equals(readFileSync(join(partDir(), bad.file)).subarray(bad.pos, bad.pos + bad.size))).toBe(
      true,
    );
    expect(logLines.some((l) => l.msg === 'truncated a torn tail during recovery')).toBe(false);
    crash(m);
    // Unclean now, and the batch is in the segment holding the recovery point: it is checked and cut.
    const checkpoint = readCheckpoint(root, RECOVERY_POINT_CHECKPOINT).get('t-0');
    expect(checkpoint).toBe(leo);
    reopenAndCheck(bad.base, sizeFrom(batches, bad), null);
  });

  it('after an unclean stop only segments from the recovery point on are checked (as Kafka does)', () => {
    let m = open();
    appendBatches(m.get('t', 0)!, 30);
    m.close(); // recovery point checkpoint = log end offset
    const recoveryPoint = readCheckpoint(root, RECOVERY_POINT_CHECKPOINT).get('t-0')!;
    expect(recoveryPoint).toBe(BigInt(recs.length));
    m = open();
    appendBatches(m.get('t', 0)!, 30);
    crash(m);
    const batches = diskBatches();
    const files = segmentFiles();
    expect(batches.filter((b) => b.file === files[1])[0].base).toBeLessThanOrEqual(recoveryPoint);
    // A segment wholly below the recovery point: not rescanned, its flipped byte stays.
    const old = batches.filter((b) => b.file === files[0])[1];
    flipByte(old.file, old.pos + old.size - 5);
    // A batch after the recovery point: the log is cut there.
    const late = batches.filter((b) => b.base > recoveryPoint)[4];
    flipByte(late.file, late.pos + late.size - 5);
    m = open();
    const log = m.get('t', 0)!;
    expect(log.logEndOffset).toBe(late.base);
    const damaged = log.read(old.base, 1, log.logEndOffset, true).records!;
    expect(
      damaged.equals(readFileSync(join(partDir(), old.file)).subarray(old.pos, old.pos + old.size)),
    ).toBe(true);
    m.close();
  });
});

/** Bytes from a batch to the end of the log (what recovery cuts when that batch is bad). */
function sizeFrom(batches: DiskBatch[], from: DiskBatch): number {
  return batches.filter((b) => b.base >= from.base).reduce((n, b) => n + b.size, 0);
}
