/**
 * All partition logs of a node across its log.dirs: loads them at start-up (recovering after an unclean
 * stop), places new partitions in the dir holding the fewest, deletes topics, runs retention every
 * log.retention.check.interval.ms, and on close flushes, checkpoints and leaves the clean-shutdown marker.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger';
import {
  CLEAN_SHUTDOWN_FILE,
  HIGH_WATERMARK_CHECKPOINT,
  LOG_START_CHECKPOINT,
  RECOVERY_POINT_CHECKPOINT,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoints';
import { LogCleaner, type CleanerSettings } from './cleaner';
import { PartitionLog } from './partition-log';
import type { LogConfig, LogDirDescription } from './types';

export interface KnownTopic {
  name: string;
  topicId: string;
  partitions: number[];
  config: LogConfig;
}

const PARTITION_DIR = /^(.+)-(\d+)$/;
const key = (topic: string, partition: number) => `${topic}-${partition}`;

export class LogManager {
  private readonly logs = new Map<string, PartitionLog>();
  private readonly byTopic = new Map<string, Set<number>>();
  private timers: NodeJS.Timeout[] = [];
  /** Compaction of logs whose cleanup.policy includes compact (cleaner.ts). */
  readonly cleaner: LogCleaner;

  private constructor(
    readonly dirs: readonly string[],
    private readonly log: Logger,
  ) {
    this.cleaner = new LogCleaner(dirs, () => this.logs.values(), log);
  }

  static open(dirs: readonly string[], topics: readonly KnownTopic[], log: Logger): LogManager {
    const m = new LogManager(dirs, log);
    const known = new Map(topics.map((t) => [t.name, t]));
    for (const dir of dirs) {
      mkdirSync(dir, { recursive: true });
      const clean = existsSync(join(dir, CLEAN_SHUTDOWN_FILE));
      const recovery = readCheckpoint(dir, RECOVERY_POINT_CHECKPOINT);
      const starts = readCheckpoint(dir, LOG_START_CHECKPOINT);
      const hws = readCheckpoint(dir, HIGH_WATERMARK_CHECKPOINT);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const match = entry.isDirectory() ? PARTITION_DIR.exec(entry.name) : null;
        if (!match) continue;
        const [, topic, p] = match;
        const t = known.get(topic);
        const path = join(dir, entry.name);
        if (!t || !t.partitions.includes(Number(p)) || storedTopicId(path) !== t.topicId) {
          // A partition of a topic deleted (or deleted and re-created) while this node was down.
          log.warn({ dir: path }, 'removing stray partition directory');
          rmSync(path, { recursive: true, force: true });
          continue;
        }
        const k = key(topic, Number(p));
        const { log: plog, truncatedBytes } = PartitionLog.open(topic, Number(p), path, t.config, {
          topicId: t.topicId,
          cleanShutdown: clean,
          recoveryPoint: recovery.get(k),
          logStartOffset: starts.get(k),
          highWatermark: hws.get(k),
        });
        if (truncatedBytes > 0)
          log.warn({ partition: k, truncatedBytes }, 'truncated a torn tail during recovery');
        m.register(plog);
      }
      // From here on a crash must be detected at the next start.
      rmSync(join(dir, CLEAN_SHUTDOWN_FILE), { force: true });
    }
    for (const t of topics) m.createPartitions(t.name, t.topicId, t.partitions, t.config);
    return m;
  }

  private register(plog: PartitionLog): void {
    this.logs.set(key(plog.topic, plog.partition), plog);
    let set = this.byTopic.get(plog.topic);
    if (!set) this.byTopic.set(plog.topic, (set = new Set()));
    set.add(plog.partition);
  }

  get(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(key(topic, partition));
  }

  partitionsOf(topic: string): PartitionLog[] {
    return [...(this.byTopic.get(topic) ?? [])].map((p) => this.logs.get(key(topic, p))!);
  }

  all(): IterableIterator<PartitionLog> {
    return this.logs.values();
  }

  /** Creates the directories of partitions that do not exist yet, each in the least loaded log dir. */
  createPartitions(topic: string, topicId: string, partitions: readonly number[], config: LogConfig): void {
    for (const p of partitions) {
      if (this.logs.has(key(topic, p))) continue;
      const dir = this.leastLoadedDir();
      const { log } = PartitionLog.open(topic, p, join(dir, key(topic, p)), config, {
        topicId,
        cleanShutdown: true,
      });
      this.register(log);
    }
  }

  private leastLoadedDir(): string {
    const counts = new Map(this.dirs.map((d) => [d, 0]));
    for (const l of this.logs.values())
      for (const d of this.dirs) if (l.dir.startsWith(d)) counts.set(d, counts.get(d)! + 1);
    return [...counts.entries()].sort((a, b) => a[1] - b[1])[0][0];
  }

  deleteTopic(topic: string): void {
    for (const l of this.partitionsOf(topic)) {
      l.delete();
      this.logs.delete(key(topic, l.partition));
      this.cleaner.forget(topic, l.partition);
    }
    this.byTopic.delete(topic);
  }

  updateConfig(topic: string, config: LogConfig): void {
    for (const l of this.partitionsOf(topic)) l.config = config;
  }

  describeDirs(): LogDirDescription[] {
    return this.dirs.map((dir) => {
      const fs = statfsSync(dir);
      return {
        dir,
        totalBytes: fs.blocks * fs.bsize,
        usableBytes: fs.bavail * fs.bsize,
        partitions: [...this.logs.values()]
          .filter((l) => l.dir.startsWith(join(dir, '/')))
          .map((l) => ({ topic: l.topic, partition: l.partition, sizeBytes: l.sizeBytes })),
      };
    });
  }

  /** Starts retention checks, periodic checkpoints and the log cleaner. */
  startBackground(
    retentionCheckIntervalMs: number,
    checkpointIntervalMs = 60_000,
    cleaner: CleanerSettings = { enabled: true, backoffMs: 15_000 },
  ): void {
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(() => {
        try {
          fn();
        } catch (err) {
          this.log.error({ err }, 'log background task failed');
        }
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    every(retentionCheckIntervalMs, () => this.applyRetention());
    every(checkpointIntervalMs, () => this.checkpoint());
    if (cleaner.enabled) this.cleaner.start(cleaner.backoffMs);
  }

  applyRetention(now = Date.now()): number {
    let deleted = 0;
    for (const l of this.logs.values()) deleted += l.applyRetention(now);
    if (deleted > 0) this.checkpoint();
    return deleted;
  }

  checkpoint(): void {
    for (const dir of this.dirs) {
      const here = [...this.logs.values()].filter((l) => l.dir.startsWith(join(dir, '/')));
      writeCheckpoint(
        dir,
        RECOVERY_POINT_CHECKPOINT,
        here.map((l) => [l.topic, l.partition, l.recoveryPoint]),
      );
      writeCheckpoint(
        dir,
        LOG_START_CHECKPOINT,
        here.map((l) => [l.topic, l.partition, l.logStartOffset]),
      );
      writeCheckpoint(
        dir,
        HIGH_WATERMARK_CHECKPOINT,
        here.map((l) => [l.topic, l.partition, l.highWatermark]),
      );
    }
  }

  /** Flushes every log, writes the checkpoints and marks each dir as cleanly shut down. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.cleaner.stop();
    for (const l of this.logs.values()) l.flush();
    this.checkpoint();
    this.cleaner.checkpoint();
    for (const l of this.logs.values()) l.close();
    this.logs.clear();
    this.byTopic.clear();
    for (const dir of this.dirs) writeFileSync(join(dir, CLEAN_SHUTDOWN_FILE), '');
  }
}

function storedTopicId(partitionDir: string): string | null {
  try {
    return (
      /topic_id:\s*(\S+)/.exec(readFileSync(join(partitionDir, 'partition.metadata'), 'utf8'))?.[1] ?? null
    );
  } catch {
    return null;
  }
}
