/**
 * The broker under fuzz as a child process (`node --import tsx broker/main.ts`): a crash shows up as
 * the process exiting (with its stack trace on stderr), a hang cannot stall the fuzzer's own event
 * loop, and /proc/<pid>/status is the broker's memory alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const KEEP_OUTPUT = 64 * 1024;

export interface BrokerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BrokerChild {
  pid: number;
  host: string;
  port: number;
  /** Resolves when the process exits, for whatever reason. */
  exited: Promise<BrokerExit>;
  /** Set once the process has exited. */
  exit: BrokerExit | null;
  /** The last 64 KB of stdout+stderr (a crash's stack trace is at the end). */
  output(): string;
  /** VmRSS and VmHWM in bytes; NaN once the process is gone. */
  memory(): { rss: number; peakRss: number };
  /** SIGTERM (SIGKILL after 10 s), then the temp dir is removed. Safe to call twice. */
  stop(): Promise<void>;
}

export interface BrokerChildOptions {
  /** Kafka config keys written to the broker's server.properties. */
  properties?: Record<string, string | number | boolean>;
  /** A broker entry point other than broker/main.ts (to check that the harness notices crashes). */
  entry?: string;
  /** Environment additions. */
  env?: Record<string, string>;
  /** Node flags for the broker (--cpu-prof, --max-old-space-size, ...). */
  nodeArgs?: string[];
  /** A lower open-files limit (ulimit -n) for the broker, to reach EMFILE quickly. */
  maxOpenFiles?: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function statusBytes(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A fuzzer killed by ^C must not leave its broker running. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

export async function startBrokerChild(opts: BrokerChildOptions = {}): Promise<BrokerChild> {
  installExitHook();
  const dir = mkdtempSync(path.join(tmpdir(), 'kbroker-fuzz-'));
  const port = await freePort();
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    listeners: `PLAINTEXT://127.0.0.1:${port}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'log.dirs': path.join(dir, 'kafka-logs'),
    ...opts.properties,
  };
  const configFile = path.join(dir, 'server.properties');
  writeFileSync(
    configFile,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const nodeArgv = [
    ...(opts.nodeArgs ?? []),
    '--import',
    'tsx',
    opts.entry ?? 'broker/main.ts',
    '--config',
    configFile,
  ];
  // `exec` keeps the pid, so pid and /proc/<pid> are the broker's either way.
  const [command, argv] =
    opts.maxOpenFiles === undefined
      ? [process.execPath, nodeArgv]
      : [
          '/bin/sh',
          ['-c', `ulimit -n ${opts.maxOpenFiles} && exec "$0" "$@"`, process.execPath, ...nodeArgv],
        ];
  const child = spawn(command, argv, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error', ...opts.env },
  });
  live.add(child);
  let out = '';
  const append = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-KEEP_OUTPUT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exit: BrokerExit | null = null;
  const exited = new Promise<BrokerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      exit = { code, signal };
      resolve(exit);
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker not listening after 60 s:\n${out}`)), 60_000);
    const check = () => {
      if (/listening on /.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`broker exited (${e.signal ?? e.code}) before listening:\n${out}`));
    });
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (exit === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }
  const pid = child.pid!;
  return {
    pid,
    host: '127.0.0.1',
    port,
    exited,
    get exit() {
      return exit;
    },
    output: () => out,
    memory: () => ({ rss: statusBytes(pid, 'VmRSS'), peakRss: statusBytes(pid, 'VmHWM') }),
    stop,
  };
}
