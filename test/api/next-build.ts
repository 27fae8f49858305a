/**
 * One `next build` per machine at a time: vitest's global setup and every suite that serves the
 * console (test/api, test/e2e) go through here, so parallel workers never build into the same .next
 * at once and a fresh build is reused. The lock is a directory (mkdir is atomic) holding the owner pid.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildStaleReason } from '../../scripts/lib/next-build';
import { ensureNextBuild, repoRoot } from '../helpers/next-server';

const LOCK = path.join(
  os.tmpdir(),
  `kafka-console-next-build-${createHash('sha1').update(repoRoot).digest('hex').slice(0, 12)}.lock`,
);

function ownerAlive(): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function acquire(timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      return () => fs.rmSync(LOCK, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // A build killed midway leaves its lock behind; give a just-created lock a moment to get its pid.
    const created = fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (!ownerAlive() && Date.now() - created > 2_000) fs.rmSync(LOCK, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`timed out waiting for another next build (lock ${LOCK})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Builds the console when .next is missing or older than its sources, waiting for a build in
 * progress. `knownFailure` (the global setup's build error) fails fast instead of building again.
 */
export async function ensureSharedNextBuild(knownFailure?: string | null): Promise<void> {
  if (!buildStaleReason(repoRoot)) return;
  if (knownFailure) throw new Error(`next build failed in the global setup:\n${knownFailure.slice(-4_000)}`);
  const release = await acquire(600_000);
  try {
    await ensureNextBuild();
  } finally {
    release();
  }
}
