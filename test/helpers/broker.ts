/**
 * One real broker per test file (or per case): listens on 127.0.0.1 port 0 with its log dir in a fresh
 * temp dir, and cleanup stops it and removes the dir. Pass Kafka config keys as overrides.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBroker, type BrokerHandle } from '../../broker/index';

export interface TestBroker extends BrokerHandle {
  /** 'host:port' for client bootstrap lists. */
  bootstrap: string;
  logDir: string;
  /** Stops the broker and deletes its log dir; safe to call twice. */
  cleanup(): Promise<void>;
}

export async function withBroker(
  overrides: Record<string, string | number | boolean> = {},
): Promise<TestBroker> {
  const logDir = await mkdtemp(path.join(tmpdir(), 'kbroker-test-'));
  let handle: BrokerHandle;
  try {
    handle = await startBroker({
      overrides: {
        listeners: 'PLAINTEXT://127.0.0.1:0',
        'advertised.listeners': 'PLAINTEXT://127.0.0.1:0',
        'log.dirs': logDir,
        'node.id': 1,
        ...overrides,
      },
    });
  } catch (err) {
    await rm(logDir, { recursive: true, force: true });
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    ...handle,
    bootstrap: `${handle.host}:${handle.port}`,
    logDir,
    cleanup() {
      stopped ??= handle.stop().finally(() => rm(logDir, { recursive: true, force: true }));
      return stopped;
    },
  };
}
