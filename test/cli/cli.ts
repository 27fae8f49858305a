/**
 * Runs the command-line tools as a user does: `node broker/cli/bin/<tool>.cjs args...` in a child
 * process, with optional standard input, collecting stdout, stderr and the exit code. Not a test file.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { RawClient } from '../integration/raw-client';

export const BIN_DIR = path.join(__dirname, '..', '..', 'broker', 'cli', 'bin');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface RunningCli {
  pid: number | undefined;
  result: Promise<CliResult>;
  /** stdout so far. */
  stdout(): string;
  signal(sig: NodeJS.Signals): void;
}

export function startCli(tool: string, args: string[], opts: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [path.join(BIN_DIR, `${tool}.cjs`), ...args], {
    env: { ...process.env, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.on('error', () => {});
  if (opts.input !== undefined) child.stdin.end(opts.input);
  else child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
  const result = new Promise<CliResult>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { pid: child.pid, result, stdout: () => stdout, signal: (sig) => child.kill(sig) };
}

export function runCli(tool: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(tool, args, opts).result;
}

/** Runs a tool that must succeed; fails with its output otherwise. */
export async function ok(tool: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const r = await runCli(tool, args, opts);
  if (r.code !== 0)
    throw new Error(
      `${tool} ${args.join(' ')} exited with ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
  return r;
}

/** Topic id (base64url, as Kafka prints it) and whether the broker serves DescribeTopicPartitions. */
export async function topicFacts(port: number, topic: string): Promise<{ topicId: string; hasElr: boolean }> {
  const raw = await RawClient.connect(port);
  try {
    const versions = await raw.apiVersions();
    const md = await raw.metadata(12, {
      topics: [{ name: topic }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    return {
      topicId: md.topics[0]?.topicId ?? '',
      hasElr: versions.apiKeys.some((k) => k.apiKey === 75),
    };
  } finally {
    raw.destroy();
  }
}
