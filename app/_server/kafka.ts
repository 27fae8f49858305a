import { Kafka, logLevel, type Admin, type logCreator, type Producer } from 'kafkajs';
import { kafkaErrorType, ServiceError } from './errors';

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

interface ProcessState {
  logged: Map<string, number>;
  kafka?: { key: string; kafka: Kafka };
  admin?: ClientSlot<Admin>;
  producer?: ClientSlot<Producer>;
}

interface ClientSlot<C extends Admin | Producer> {
  key: string;
  client: C;
  ready: Promise<void>;
}

// On globalThis because Next bundles this module once per route; clients and the log are per process.
const globalState = globalThis as { __kafkaConsole?: ProcessState };
const state: ProcessState = (globalState.__kafkaConsole ??= { logged: new Map() });

const lineLogger: logCreator =
  () =>
  ({ namespace, level, log }) => {
    const line = `[kafkajs ${level === logLevel.ERROR ? 'error' : 'warn'}] ${namespace}: ${log.message}`;
    const now = Date.now();
    if (now - (state.logged.get(line) ?? 0) < REPEAT_WINDOW_MS) return;
    if (state.logged.size > 1_000) state.logged.clear();
    state.logged.set(line, now);
    console.warn(line);
  };

/**
 * One Kafka instance per bootstrap list. The console must answer quickly when a cluster is
 * unreachable, so timeouts and retries are far shorter than kafkajs' defaults (which add up to ~30 s).
 */
export function getKafka(): Kafka {
  const brokers = bootstrapBrokers();
  const key = brokers.join(',');
  if (state.kafka?.key === key) return state.kafka.kafka;
  const kafka = new Kafka({
    clientId: 'kafka-console',
    brokers,
    connectionTimeout: 2_000,
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    logLevel: logLevel.WARN,
    logCreator: lineLogger,
  });
  state.kafka = { key, kafka };
  return kafka;
}

// A dropped client may still serve requests that started before the drop; disconnect it later.
const DROP_GRACE_MS = 30_000;

function drop<C extends Admin | Producer>(slot: ClientSlot<C> | undefined): void {
  if (!slot) return;
  if (state.admin === slot) state.admin = undefined;
  if (state.producer === slot) state.producer = undefined;
  setTimeout(() => void slot.client.disconnect().catch(() => undefined), DROP_GRACE_MS).unref();
}

function slotFor<C extends Admin | Producer>(
  current: ClientSlot<C> | undefined,
  create: (kafka: Kafka) => C,
  store: (slot: ClientSlot<C>) => void,
): ClientSlot<C> {
  const kafka = getKafka();
  const key = state.kafka!.key;
  if (current?.key === key) return current;
  drop(current);
  const client = create(kafka);
  const slot: ClientSlot<C> = { key, client, ready: client.connect() };
  // A failed connect must not be cached: the next request tries again (the cluster may be back).
  slot.ready.catch(() => drop(slot));
  store(slot);
  return slot;
}

// kafkajs keeps every topic it was asked about in the client's metadata targets; once another client
// deletes one, each later metadata refresh fails with UNKNOWN_TOPIC_OR_PARTITION. A fresh client
// forgets the stale topic, so such a failure is retried once on a new connection.
function isStaleMetadata(err: unknown): boolean {
  return !(err instanceof ServiceError) && kafkaErrorType(err) === 'UNKNOWN_TOPIC_OR_PARTITION';
}

function isConnectionFailure(err: unknown): boolean {
  return kafkaErrorType(err) === undefined && err instanceof Error && err.name.startsWith('KafkaJS');
}

/**
 * Runs `fn` with the process-wide connected Admin (one connection pool shared by every request).
 * `fn` must be safe to run twice: a failure that points at stale client state is retried once.
 */
export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const create = (kafka: Kafka) => kafka.admin();
  const store = (slot: ClientSlot<Admin>) => (state.admin = slot);
  let slot = slotFor(state.admin, create, store);
  try {
    await slot.ready;
    return await fn(slot.client);
  } catch (err) {
    if (isConnectionFailure(err)) drop(slot);
    if (!isStaleMetadata(err)) throw err;
    drop(slot);
    slot = slotFor(state.admin, create, store);
    await slot.ready;
    return await fn(slot.client);
  }
}

/**
 * The process-wide Producer. Topic auto-creation is off: producing to a topic that does not exist
 * must be a 404, not a new topic (brokers default to auto.create.topics.enable=true).
 */
export async function withProducer<T>(fn: (producer: Producer) => Promise<T>): Promise<T> {
  const slot = slotFor(
    state.producer,
    (kafka) => kafka.producer({ allowAutoTopicCreation: false, idempotent: false }),
    (s) => (state.producer = s),
  );
  try {
    await slot.ready;
    return await fn(slot.client);
  } catch (err) {
    if (isConnectionFailure(err) || isStaleMetadata(err)) drop(slot);
    throw err;
  }
}
