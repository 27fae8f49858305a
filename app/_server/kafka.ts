import { Kafka, logLevel, type Admin, type logCreator } from 'kafkajs';

// Server-only: imported by services and route handlers, never by client components (it needs node:net).

const DEFAULT_BROKERS = '127.0.0.1:9092';

/** Bootstrap servers from KAFKA_BROKERS (comma-separated host:port), as scripts/start.ts passes them. */
export function bootstrapBrokers(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.KAFKA_BROKERS?.trim() || DEFAULT_BROKERS;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// kafkajs' default logger prints a JSON object per event, and a down cluster yields the same
// connection error on every retry of every page view: one line per distinct message per window
// keeps the Next server log readable while still showing that something is wrong.
const REPEAT_WINDOW_MS = 30_000;
// On globalThis because Next bundles this module once per route; the log is per process.
const globalLog = globalThis as { __kafkaConsoleLogged?: Map<string, number> };
const lastLogged = (globalLog.__kafkaConsoleLogged ??= new Map<string, number>());

const lineLogger: logCreator =
  () =>
  ({ namespace, level, log }) => {
    const line = `[kafkajs ${level === logLevel.ERROR ? 'error' : 'warn'}] ${namespace}: ${log.message}`;
    const now = Date.now();
    if (now - (lastLogged.get(line) ?? 0) < REPEAT_WINDOW_MS) return;
    if (lastLogged.size > 1_000) lastLogged.clear();
    lastLogged.set(line, now);
    console.warn(line);
  };

let cached: { key: string; kafka: Kafka } | undefined;

/**
 * One Kafka instance per bootstrap list. The console must answer quickly when a cluster is
 * unreachable, so timeouts and retries are far shorter than kafkajs' defaults (which add up to ~30 s).
 */
export function getKafka(): Kafka {
  const brokers = bootstrapBrokers();
  const key = brokers.join(',');
  if (cached?.key === key) return cached.kafka;
  const kafka = new Kafka({
    clientId: 'kafka-console',
    brokers,
    connectionTimeout: 2_000,
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    logLevel: logLevel.WARN,
    logCreator: lineLogger,
  });
  cached = { key, kafka };
  return kafka;
}

/**
 * Runs `fn` with a connected Admin and always disconnects. A connection per call costs one
 * round-trip on loopback and avoids holding sockets to nodes that may be killed in failover demos.
 */
export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = getKafka().admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
