/**
 * The clients the data-plane benchmark drives: confluent-kafka-python (bench/python/*.py, run with the
 * system python3 like the compatibility tests), kcat, and kafkajs in this process.
 */
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { run, spawnTracked } from './children';

const PYTHON = '/usr/bin/python3';
const SCRIPTS = path.join(__dirname, 'python');
const CLIENT_TIMEOUT_MS = 150_000;
// The scripts import each other; keep __pycache__ out of the source tree.
const PYTHON_ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };

export interface ProduceResult {
  records: number;
  partitions: number;
  seconds: number;
  records_per_sec: number;
  mb_per_sec: number;
  latency_samples: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

export interface ConsumeResult {
  records: number;
  seconds: number;
  records_per_sec: number;
}

export interface KafkajsResult extends ConsumeResult {
  /** CPU time of this process (kafkajs) while producing, in seconds. */
  clientCpu: number;
}

async function python<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await run(PYTHON, [path.join(SCRIPTS, script), ...args], CLIENT_TIMEOUT_MS, PYTHON_ENV);
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

export interface MockCluster {
  bootstrap: string;
  stop(): Promise<void>;
}

/**
 * librdkafka's mock cluster in a python process of its own (bench/python/mock_cluster.py), for clients
 * that cannot host it themselves (kafkajs). It serves until its stdin closes.
 */
export async function startMockCluster(topics: Record<string, number>): Promise<MockCluster> {
  const specs = Object.entries(topics).map(([t, p]) => `${t}:${p}`);
  const child = spawnTracked(PYTHON, [path.join(SCRIPTS, 'mock_cluster.py'), ...specs], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: PYTHON_ENV,
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([l]) => String(l)),
    exited.then(() => ''),
    new Promise<string>((resolve) => setTimeout(() => resolve(''), 10_000)),
  ]);
  lines.close();
  if (!/^[\w.-]+:\d+/.test(first)) {
    await stop();
    throw new Error(`mock cluster did not start (said "${first}")`);
  }
  return { bootstrap: first.split(',')[0], stop };
}

export interface ProduceSpec {
  topic: string;
  records: number;
  size: number;
  partitions: number;
}

/** Target: a bootstrap address, or 'mock' for librdkafka's mock cluster inside the producer process. */
export function pythonProduce(target: string, spec: ProduceSpec): Promise<ProduceResult> {
  const sample = Math.max(1, Math.floor(spec.records / 10_000));
  return python<ProduceResult>('produce.py', [
    ...(target === 'mock' ? ['--mock'] : ['--bootstrap', target]),
    ...['--topic', spec.topic, '--records', String(spec.records), '--size', String(spec.size)],
    ...['--partitions', String(spec.partitions), '--sample', String(sample)],
  ]);
}

export function pythonConsume(bootstrap: string, topic: string, records: number): Promise<ConsumeResult> {
  return python<ConsumeResult>('consume.py', [
    ...['--bootstrap', bootstrap, '--topic', topic, '--records', String(records)],
  ]);
}

/** kcat's simple consumer over every partition until end of log; one '.' per record counts them. */
export async function kcatConsume(bootstrap: string, topic: string): Promise<ConsumeResult> {
  const start = process.hrtime.bigint();
  const { stdout } = await run(
    'kcat',
    ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '.'],
    CLIENT_TIMEOUT_MS,
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { records: stdout.length, seconds, records_per_sec: stdout.length / seconds };
}

function kafka(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
}

export async function createTopic(bootstrap: string, topic: string, partitions: number): Promise<void> {
  const admin = kafka(bootstrap).admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`topic ${topic} already exists`);
  } finally {
    await admin.disconnect();
  }
}

export interface KafkajsSpec extends ProduceSpec {
  /** Records per producer.send() call, and how many sends are in flight at once. */
  perSend: number;
  inFlight: number;
}

export async function kafkajsProduce(bootstrap: string, spec: KafkajsSpec): Promise<KafkajsResult> {
  const producer = kafka(bootstrap).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const value = Buffer.alloc(spec.size, 'x');
    const messages = Array.from({ length: spec.perSend }, () => ({ value }));
    const sends = Math.ceil(spec.records / spec.perSend);
    let next = 0;
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const worker = async () => {
      while (next < sends) {
        const i = next++;
        const batch = i === sends - 1 ? messages.slice(0, spec.records - i * spec.perSend) : messages;
        await producer.send({ topic: spec.topic, acks: 1, messages: batch });
      }
    };
    await Promise.all(Array.from({ length: spec.inFlight }, worker));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const clientCpu = (cpu.user + cpu.system) / 1e6;
    return { records: spec.records, seconds, records_per_sec: spec.records / seconds, clientCpu };
  } finally {
    await producer.disconnect();
  }
}

export interface PacedProduceResult {
  records: number;
  seconds: number;
  records_per_sec: number;
  errors: number;
  first_error: string | null;
  ack_p50_ms: number | null;
  ack_p99_ms: number | null;
  ack_max_ms: number | null;
}

/**
 * confluent-kafka-python at a steady `rate` for `seconds`, acks=1 (bench/python/paced_produce.py);
 * each value starts with its send time on CLOCK_MONOTONIC in ns, then a space.
 */
export function pythonPacedProduce(
  bootstrap: string,
  spec: { topic: string; rate: number; seconds: number; size: number; lingerMs: number },
): Promise<PacedProduceResult> {
  return python<PacedProduceResult>('paced_produce.py', [
    ...['--bootstrap', bootstrap, '--topic', spec.topic, '--rate', String(spec.rate)],
    ...['--seconds', String(spec.seconds), '--size', String(spec.size), '--linger', String(spec.lingerMs)],
  ]);
}
