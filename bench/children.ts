/**
 * Child processes and temp dirs the benchmark creates, released on every way out: normal end, error,
 * SIGINT/SIGTERM. The release on exit is synchronous (SIGKILL, rmSync) because 'exit' handlers cannot
 * wait; the orderly path (SIGTERM, await exit) is the caller's stop().
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
let installed = false;

function releaseAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', releaseAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      releaseAll();
      process.exit(130);
    });
  }
}

/** A fresh directory under the OS temp dir (on disk here), removed at exit unless removed before. */
export function tempDir(prefix: string): string {
  install();
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** spawn(), with the child killed at exit if it is still running then. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  install();
  const child = spawn(command, args, options);
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

export interface Completed {
  stdout: string;
  stderr: string;
}

// Error messages quote the tail of a child's stderr; a few KB is enough to see the cause.
const KEEP_STDERR = 16 * 1024;

/** Runs a command to completion; rejects with its stderr when it fails or outlives timeoutMs. */
export function run(command: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv) {
  return new Promise<Completed>((resolve, reject) => {
    const child = spawnTracked(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const out: Buffer[] = [];
    let err = '';
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => {
      err = (err + b.toString('utf8')).slice(-KEEP_STDERR);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      if (code === 0) resolve({ stdout, stderr: err });
      else {
        const why = signal
          ? `killed by ${signal}${signal === 'SIGKILL' ? ` (timeout ${timeoutMs} ms?)` : ''}`
          : `exit ${code}`;
        reject(new Error(`${path.basename(command)} ${args.join(' ')}: ${why}\n${err.slice(-4000)}`));
      }
    });
  });
}
