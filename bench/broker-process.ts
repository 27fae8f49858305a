/**
 * Our broker as a child process (`node --import tsx broker/main.ts`), so its CPU and memory are its
 * own: the benchmark's clients never share its event loop, and /proc/<pid>/status is the broker's.
 */
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { spawnTracked, tempDir, removeTempDir } from './children';

const ROOT = path.resolve(__dirname, '..');

export interface BrokerMemory {
  /** Resident set size now, and its peak (VmHWM), in bytes. */
  rss: number;
  peakRss: number;
}

export interface BrokerProcess {
  pid: number;
  bootstrap: string;
  logDir: string;
  memory(): BrokerMemory;
  /** CPU time (user + system) the broker has used so far, in seconds. */
  cpuSeconds(): number;
  /** SIGTERM, wait for the exit (the CPU profile is written then), remove the temp dir. */
  stop(): Promise<void>;
}

export interface BrokerProcessOptions {
  /** Kafka config keys added to the temp server.properties. */
  properties?: Record<string, string | number>;
  /** Write a V8 CPU profile (node --cpu-prof) into this directory when the broker exits. */
  cpuProfileDir?: string;
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

function readStatusKb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

// USER_HZ: /proc reports CPU times in clock ticks, 100 per second on Linux x86-64 and arm64.
const CLOCK_TICKS = 100;

function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name (which may hold spaces): state is field 3, so utime
  // (field 14) and stime (field 15) are at 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export async function startBrokerProcess(opts: BrokerProcessOptions = {}): Promise<BrokerProcess> {
  const dir = tempDir('kbroker-bench-');
  const logDir = path.join(dir, 'kafka-logs');
  const port = await freePort();
  const props: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    listeners: `PLAINTEXT://127.0.0.1:${port}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'log.dirs': logDir,
    'num.partitions': 6,
    ...opts.properties,
  };
  const configFile = path.join(dir, 'server.properties');
  writeFileSync(
    configFile,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );

  const profile = opts.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir] : [];
  const child = spawnTracked(
    process.execPath,
    ['--import', 'tsx', ...profile, 'broker/main.ts', '--config', configFile],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    },
  );
  let output = '';
  const exited = once(child, 'exit');
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker not listening after 30 s:\n${output}`)), 30_000);
    const onData = (b: Buffer) => {
      output = (output + b.toString('utf8')).slice(-16_384);
      if (/listening on /.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`broker exited (${signal ?? code}) before listening:\n${output}`));
    });
  });
  const pid = child.pid!;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      removeTempDir(dir);
    })();
    return stopped;
  };
  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    pid,
    bootstrap: `127.0.0.1:${port}`,
    logDir,
    memory: () => ({ rss: readStatusKb(pid, 'VmRSS'), peakRss: readStatusKb(pid, 'VmHWM') }),
    cpuSeconds: () => readCpuSeconds(pid),
    stop,
  };
}
