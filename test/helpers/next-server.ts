import path from 'node:path';
import { buildStaleReason, nextBin, nextEnv } from '../../scripts/lib/next-build';
import { getFreePort, waitForHttp } from './net';
import { runToCompletion, startProcess, type RunningProcess } from './process';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * Builds the console only when .next is missing or older than app/ sources: a fresh clone pays
 * for one build, a developer re-running tests does not. Pages are dynamic, so no cluster is needed.
 */
export async function ensureNextBuild(): Promise<void> {
  const reason = buildStaleReason(repoRoot);
  if (!reason) return;
  await runToCompletion(nextBin(repoRoot), ['build'], {
    cwd: repoRoot,
    env: nextEnv('127.0.0.1:9092', { NODE_ENV: 'production' }),
  });
}

export interface NextServer {
  url: string;
  process: RunningProcess;
  stop(): Promise<void>;
}

/** `next start` on a free port, talking to the given bootstrap servers. */
export async function startNextServer(kafkaBrokers: string): Promise<NextServer> {
  const port = await getFreePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startProcess(nextBin(repoRoot), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: repoRoot,
    env: nextEnv(kafkaBrokers, { NODE_ENV: 'production' }),
  });
  try {
    await waitForHttp(`${url}/favicon.ico`, { timeoutMs: 60_000, isAlive: proc.alive });
  } catch (err) {
    await proc.stop();
    throw new Error(`${String(err)}\nnext start output:\n${proc.output().slice(-4_000)}`);
  }
  return { url, process: proc, stop: () => proc.stop() };
}
