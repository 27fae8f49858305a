import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface RunningProcess {
  proc: ChildProcess;
  /** Everything written to stdout and stderr so far, for failure messages. */
  output(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

// Failure messages quote the tail of a child's output; a few KB is enough to see the cause.
const KEEP_OUTPUT = 64 * 1024;

/**
 * Spawns a child in its own process group, so stop() also reaches grandchildren (next start may
 * fork a worker) and a test run never leaves servers behind.
 */
export function startProcess(command: string, args: string[], options: SpawnOptions = {}): RunningProcess {
  const proc = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-KEEP_OUTPUT);
  };
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.once('error', (err) => {
      append(Buffer.from(`spawn error: ${err.message}\n`));
      resolve();
    });
  });
  const alive = () => proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined;

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (proc.pid !== undefined) process.kill(-proc.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };

  return {
    proc,
    output: () => out,
    alive,
    async stop() {
      if (!alive()) return;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function runToCompletion(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<string> {
  const p = startProcess(command, args, options);
  const code = await new Promise<number | null>((resolve) => {
    if (!p.alive()) resolve(p.proc.exitCode);
    p.proc.once('exit', (c) => resolve(c));
    p.proc.once('error', () => resolve(null));
  });
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${p.output().slice(-4_000)}`);
  }
  return p.output();
}
