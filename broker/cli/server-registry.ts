/**
 * How kafka-server-stop finds what kafka-server-start started: each running server writes
 * `<pid>.json` into a per-user directory (KAFKA_SERVER_REGISTRY overrides it) and removes it on exit.
 * Kafka's script greps `ps` for kafka.Kafka; a registry does the same job without matching other
 * programs, and the process's command line is still checked before signalling (pid reuse).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServerEntry {
  pid: number;
  nodeId: number;
  processRoles: string[];
  configFile: string;
  listeners: string;
  startedAt: string;
}

export function registryDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return process.env.KAFKA_SERVER_REGISTRY ?? path.join(os.tmpdir(), `kafka-server-start-${uid}`);
}

export function register(entry: ServerEntry): () => void {
  const dir = registryDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${entry.pid}.json`);
  writeFileSync(file, `${JSON.stringify(entry)}\n`);
  return () => rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Where /proc exists, make sure the pid still belongs to a kafka-server-start process.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka-server-start');
  } catch {
    return process.platform !== 'linux';
  }
}

/** The servers still running; entries of processes that are gone are cleaned up. */
export function runningServers(): ServerEntry[] {
  const dir = registryDir();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^\d+\.json$/.test(f));
  } catch {
    return [];
  }
  const entries: ServerEntry[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    try {
      const e = JSON.parse(readFileSync(file, 'utf8')) as ServerEntry;
      if (alive(e.pid)) entries.push(e);
      else rmSync(file, { force: true });
    } catch {
      rmSync(file, { force: true });
    }
  }
  return entries.sort((a, b) => a.nodeId - b.nodeId);
}

export function isAlive(pid: number): boolean {
  return alive(pid);
}
