/**
 * Helpers for the browser tests: waiting on what the user sees, and screenshots under test-results/
 * (gitignored) for a person to look at. Not a test file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from '../helpers/next-server';

export const SCREENSHOT_DIR = path.join(repoRoot, 'test-results');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The element's text once it is visible (react-query renders after hydration and a fetch). */
export async function textOf(locator: Locator, timeout = 30_000): Promise<string> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator.innerText();
}

/** Polls until `fn` returns true; the message says what never happened. */
export async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await fn()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
  );
}

/**
 * Server-rendered controls show before React attaches their handlers; a click in between does
 * nothing. app/providers.tsx sets this attribute once the app is interactive.
 */
export async function waitForHydration(page: Page, timeout = 30_000): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout });
}

/** Collects browser-side failures (uncaught errors, console errors, alert() calls) for assertions. */
export function watchPage(page: Page): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (err) => seen.errors.push(String(err)));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  return seen;
}
