/**
 * Kafka's per-log-dir checkpoint files (recovery-point-offset-checkpoint, log-start-offset-checkpoint,
 * replication-offset-checkpoint): a version line (0), a count line, then "topic partition offset" lines.
 * Written to a temp file and renamed, so a crash leaves the old or the new file, never half of one.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RECOVERY_POINT_CHECKPOINT = 'recovery-point-offset-checkpoint';
export const LOG_START_CHECKPOINT = 'log-start-offset-checkpoint';
export const HIGH_WATERMARK_CHECKPOINT = 'replication-offset-checkpoint';
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';

export type OffsetCheckpoint = Map<string, bigint>; // "topic-partition" -> offset

export function readCheckpoint(dir: string, name: string): OffsetCheckpoint {
  const out: OffsetCheckpoint = new Map();
  const file = join(dir, name);
  if (!existsSync(file)) return out;
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[0]?.trim() !== '0') return out; // unknown version: ignore, as recovery then starts at 0
  for (const line of lines.slice(2)) {
    const parts = line.trim().split(' ');
    if (parts.length !== 3) continue;
    const [topic, partition, offset] = parts;
    if (/^\d+$/.test(partition) && /^-?\d+$/.test(offset)) out.set(`${topic}-${partition}`, BigInt(offset));
  }
  return out;
}

export function writeCheckpoint(
  dir: string,
  name: string,
  entries: Iterable<[topic: string, partition: number, offset: bigint]>,
): void {
  const lines: string[] = [];
  for (const [topic, partition, offset] of entries) lines.push(`${topic} ${partition} ${offset}`);
  const tmp = join(dir, `${name}.tmp`);
  writeFileSync(tmp, `0\n${lines.length}\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
  renameSync(tmp, join(dir, name));
}
