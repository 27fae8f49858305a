/**
 * vitest globalSetup: builds the console once, before any worker starts, when the run includes a
 * suite that serves it (test/api, test/e2e). A run filtered to other files (e.g. `vitest run broker`)
 * skips the build; the suites still build lazily (under the same lock) if they run anyway.
 * A failed build fails only the suites that need it (they read the error via inject), not the run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from '../helpers/next-server';
import { ensureSharedNextBuild } from './next-build';

function consoleSuites(): string[] {
  return ['test/api', 'test/e2e'].flatMap((dir) => {
    const abs = path.join(repoRoot, dir);
    if (!fs.existsSync(abs)) return [];
    return fs
      .readdirSync(abs)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `${dir}/${f}`);
  });
}

// vitest's positional arguments are substrings of test file paths.
function runIncludesConsole(argv: string[]): boolean {
  const filters = argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith('-') && !(all[i - 1] ?? '').startsWith('-') && a !== 'run');
  if (filters.length === 0) return true;
  const suites = consoleSuites();
  return filters.some((f) => suites.some((s) => s.includes(f.replace(/^\.\//, ''))));
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `next build` failure seen by the global setup, or null. */
    nextBuildError: string | null;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('nextBuildError', null);
  if (!runIncludesConsole(process.argv)) return;
  try {
    await ensureSharedNextBuild();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`[global-setup] next build failed; console suites will fail:\n${message.slice(-2_000)}`);
    project.provide('nextBuildError', message);
  }
}
