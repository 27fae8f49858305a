/**
 * A real broker plus `next start` serving the console against it, and a tiny JSON client for
 * /api/v1. Not a test file.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { inject } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { ensureSharedNextBuild } from './next-build';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ErrorResponse {
  error: { code: string; message: string; field?: string };
}

export type Api = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<ApiResponse<T>>;

export function apiClient(baseUrl: string): Api {
  return async <T>(method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method, signal: AbortSignal.timeout(30_000) };
    if (body !== undefined) {
      // A string is sent as is, so tests can send malformed JSON.
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await fetch(`${baseUrl}${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
  };
}

/** The console's production build, shared by all suites (see global-setup.ts). */
export function consoleBuild(): Promise<void> {
  return ensureSharedNextBuild(inject('nextBuildError'));
}

export interface ApiEnv {
  broker: TestBroker;
  next: NextServer;
  api: Api;
  kafka: Kafka;
  admin: Admin;
  stop(): Promise<void>;
}

/**
 * group.initial.rebalance.delay.ms=0: the console reads messages through throwaway consumer groups,
 * and Kafka's 3 s default delay before a new group's first rebalance would make every read slow.
 */
export async function startApiEnv(): Promise<ApiEnv> {
  const built = consoleBuild();
  const broker = await withBroker({ 'group.initial.rebalance.delay.ms': 0 });
  let next: NextServer | undefined;
  try {
    await built;
    next = await startNextServer(broker.bootstrap);
  } catch (err) {
    await broker.cleanup();
    throw err;
  }
  const kafka = new Kafka({
    clientId: 'api-test',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  return {
    broker,
    next,
    api: apiClient(next.url),
    kafka,
    admin,
    async stop() {
      await admin.disconnect().catch(() => undefined);
      await next?.stop();
      await broker.cleanup();
    },
  };
}
