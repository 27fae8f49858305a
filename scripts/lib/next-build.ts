import fs from 'node:fs';
import path from 'node:path';

/** Inputs of `next build`. Add broker/ here once app/ imports broker/index.ts (embedded-cluster control). */
const SOURCES = ['app', 'public', 'next.config.ts', 'tsconfig.json', 'package-lock.json'];

export function nextBin(root: string): string {
  return path.join(root, 'node_modules', '.bin', 'next');
}

function newestMtime(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file only shows as a newer directory mtime
  for (const name of fs.readdirSync(entry, { recursive: true, encoding: 'utf8' })) {
    newest = Math.max(newest, fs.statSync(path.join(entry, name)).mtimeMs);
  }
  return newest;
}

/**
 * Why `.next` must be (re)built, or null when the production build is current. A stale build would
 * serve yesterday's console (and make the browser test pass or fail against old code).
 */
export function buildStaleReason(root: string): string | null {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return 'no production build yet (.next/BUILD_ID missing)';
  const builtAt = fs.statSync(buildId).mtimeMs;
  for (const source of SOURCES) {
    if (newestMtime(path.join(root, source)) > builtAt) return `${source} changed since the last build`;
  }
  return null;
}

/** Environment for every Next child process: no telemetry (no network here), Kafka bootstrap passed on. */
export function nextEnv(kafkaBrokers: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1', KAFKA_BROKERS: kafkaBrokers, ...extra };
}
