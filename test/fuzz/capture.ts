/**
 * Records what real clients send: a broker child behind the capture proxy, then kafkajs (in this
 * process), kcat and confluent-kafka-python (child processes) run their everyday workloads through
 * it at the same time (plus @platformatic/kafka for the flexible versions the others never use), each on its own topics and groups. The frames become the fuzz corpus.
 * A client that is missing here (no kcat, no python3 module) is skipped and reported, not fatal.
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { registerKafkajsCodecs } from '../../broker/cli/kafkajs-codecs';
import { startBrokerChild } from './broker-child';
import { startCaptureProxy, type CapturedFrame } from './capture-proxy';

const execFileP = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const PY_SCRIPT = path.join(__dirname, 'capture_clients.py');

export interface CaptureResult {
  frames: CapturedFrame[];
  /** Per client family: 'ok' or why it was skipped or failed. */
  clients: Record<string, string>;
  ms: number;
}

async function kafkajsWorkload(bootstrap: string, prefix: string): Promise<void> {
  registerKafkajsCodecs();
  const kafka = new Kafka({
    clientId: 'kafkajs-fuzz',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 50 },
  });
  const topic = `${prefix}-kjs`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '86400000' }] },
      {
        topic: `${topic}-compact`,
        numPartitions: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
      { topic: `${topic}-doomed`, numPartitions: 2 },
    ],
  });
  await admin.fetchTopicMetadata({ topics: [topic] });
  await admin.describeCluster();
  await admin.describeConfigs({
    includeSynonyms: true,
    resources: [
      { type: 2, name: topic },
      { type: 4, name: '1' },
    ],
  });
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
  });
  await admin.createPartitions({ topicPartitions: [{ topic: `${topic}-doomed`, count: 3 }] });

  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const codecs = [
    CompressionTypes.None,
    CompressionTypes.GZIP,
    CompressionTypes.Snappy,
    CompressionTypes.LZ4,
    CompressionTypes.ZSTD,
  ];
  for (const compression of codecs) {
    for (const acks of [-1, 1, 0]) {
      const messages = Array.from({ length: 8 }, (_, i) => ({
        key: `k${i}`,
        value: `value-${'x'.repeat(40)}-${i}`,
        headers: { h: `v${i}` },
      }));
      await producer.send({ topic, compression, acks, messages });
    }
  }
  await producer.sendBatch({
    topicMessages: [
      { topic, messages: [{ value: 'batch-a' }] },
      {
        topic: `${topic}-compact`,
        messages: [
          { key: 'k', value: 'compacted' },
          { key: 'k', value: null },
        ],
      },
    ],
  });
  await producer.disconnect();

  const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await idempotent.connect();
  await idempotent.send({ topic, messages: [{ value: 'idem-1' }, { value: 'idem-2' }] });
  await idempotent.disconnect();

  const groupId = `${prefix}-kjs-group`;
  const consumer = kafka.consumer({
    groupId,
    heartbeatInterval: 200,
    sessionTimeout: 6000,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  const enough = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommitInterval: 200,
      eachMessage: async () => {
        if (++consumed === 40) resolve();
      },
    });
  });
  await Promise.race([enough, new Promise((r) => setTimeout(r, 8_000))]);
  await new Promise((r) => setTimeout(r, 600)); // heartbeats and an auto-commit
  await consumer.disconnect();

  const txn = kafka.producer({
    transactionalId: `${prefix}-kjs-txn`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await txn.connect();
  const t1 = await txn.transaction();
  await t1.send({
    topic,
    compression: CompressionTypes.GZIP,
    messages: [{ value: 'txn-1' }, { value: 'txn-2' }],
  });
  await t1.sendOffsets({
    consumerGroupId: groupId,
    topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
  });
  await t1.commit();
  const t2 = await txn.transaction();
  await t2.send({ topic, messages: [{ value: 'txn-aborted' }] });
  await t2.abort();
  await txn.disconnect();

  await admin.listGroups();
  await admin.describeGroups([groupId]);
  await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.resetOffsets({ groupId, topic, earliest: true });
  await admin.setOffsets({ groupId, topic, partitions: [{ partition: 1, offset: '2' }] });
  await admin.fetchTopicOffsets(topic);
  await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 60_000);
  await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
  await admin.deleteGroups([groupId]);
  await admin.deleteTopics({ topics: [`${topic}-doomed`] });
  await admin.listTopics();
  await admin.disconnect();
}

/** @platformatic/kafka negotiates the newest versions, so it is the corpus's flexible-version client. */
async function platformaticWorkload(bootstrap: string, prefix: string): Promise<void> {
  const common = { clientId: 'platformatic-fuzz', bootstrapBrokers: [bootstrap], retries: 2 };
  const topic = `${prefix}-plat`;
  const admin = new Admin(common);
  const producer = new Producer({ ...common, serializers: stringSerializers });
  const consumer = new Consumer({
    ...common,
    groupId: `${prefix}-plat-group`,
    deserializers: stringDeserializers,
    maxWaitTime: 100,
  });
  try {
    await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1 });
    await admin.metadata({ topics: [topic] });
    await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: topic }] });
    await admin.incrementalAlterConfigs({
      resources: [
        {
          resourceType: 2,
          resourceName: topic,
          configs: [{ name: 'retention.ms', configOperation: 0, value: '600000' }],
        },
      ],
    });
    await admin.describeLogDirs({ topics: [{ name: topic, partitions: [0, 1] }] });
    // No zstd: @platformatic/kafka takes it from node:zlib, which has it from Node 22.15 on.
    for (const compression of ['none', 'gzip', 'snappy', 'lz4'] as const) {
      await producer.send({
        compression,
        messages: Array.from({ length: 6 }, (_, i) => ({
          topic,
          key: `k${i}`,
          value: `plat-${compression}-${'y'.repeat(30)}-${i}`,
          headers: { h: 'v' },
        })),
      });
    }
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: 100 });
    let seen = 0;
    await Promise.race([
      (async () => {
        for await (const _message of stream) if (++seen >= 20) break;
      })(),
      new Promise((r) => setTimeout(r, 6_000)),
    ]);
    await stream.close();
    await admin.listConsumerGroupOffsets({ groups: [`${prefix}-plat-group`] });
    await admin.describeGroups({ groups: [`${prefix}-plat-group`] });
  } finally {
    await consumer.close().catch(() => {});
    await producer.close().catch(() => {});
    await admin.close().catch(() => {});
  }
}

function kcat(bootstrap: string, args: string[], input?: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', bootstrap, '-X', 'client.id=kcat-fuzz', ...args], {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // A balanced consumer (-G) only stops when told to: SIGTERM after timeoutMs is its normal end.
      if (code === 0 || signal === 'SIGTERM') resolve();
      else reject(new Error(`kcat ${args.join(' ')} exited ${code ?? signal}: ${err}`));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function kcatWorkload(bootstrap: string, prefix: string): Promise<void> {
  const topic = `${prefix}-kcat`;
  await kcat(bootstrap, ['-L', '-J']);
  await kcat(bootstrap, ['-L', '-t', topic]); // auto-creates it
  const lines =
    Array.from({ length: 20 }, (_, i) => `key${i % 3}:${'payload-'.repeat(6)}${i}`).join('\n') + '\n';
  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    await kcat(bootstrap, ['-P', '-t', topic, '-K:', '-z', codec, '-X', 'linger.ms=5'], lines);
  }
  await kcat(
    bootstrap,
    ['-P', '-t', topic, '-X', 'acks=all', '-X', 'enable.idempotence=true', '-H', 'h=v'],
    lines,
  );
  await kcat(bootstrap, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q']);
  await kcat(bootstrap, ['-C', '-t', topic, '-p', '0', '-o', '-3', '-e', '-q', '-X', 'check.crcs=true']);
  await kcat(bootstrap, ['-Q', '-t', `${topic}:0:${Date.now() - 60_000}`]);
  await kcat(
    bootstrap,
    ['-G', `${prefix}-kcat-group`, '-q', '-X', 'auto.offset.reset=earliest', topic],
    undefined,
    5_000,
  );
}

async function pythonWorkload(bootstrap: string, prefix: string): Promise<void> {
  const { stdout } = await execFileP(PYTHON, ['-B', PY_SCRIPT, bootstrap, prefix], { timeout: 90_000 });
  const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { fatal?: string };
  if (summary.fatal) throw new Error(summary.fatal);
}

async function available(command: string, args: string[]): Promise<boolean> {
  try {
    await execFileP(command, args, { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export async function captureCorpus(log: (msg: string) => void = () => {}): Promise<CaptureResult> {
  const started = Date.now();
  const proxy = await startCaptureProxy();
  const broker = await startBrokerChild({
    properties: {
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxy.port}`,
      'group.initial.rebalance.delay.ms': 0,
      'offsets.topic.num.partitions': 4,
      'transaction.state.log.num.partitions': 4,
    },
  });
  proxy.setTarget(broker.port);
  const bootstrap = `127.0.0.1:${proxy.port}`;
  const clients: Record<string, string> = {};
  const prefix = 'fz';
  const runOne = async (name: string, check: () => Promise<boolean>, work: () => Promise<void>) => {
    if (!(await check())) {
      clients[name] = 'skipped: not installed';
      return;
    }
    const t = Date.now();
    try {
      await work();
      clients[name] = `ok in ${Date.now() - t} ms`;
    } catch (err) {
      // The frames sent before the failure are still useful corpus.
      clients[name] = `failed after ${Date.now() - t} ms: ${(err as Error).message.slice(0, 300)}`;
    }
    log(`capture ${name}: ${clients[name]}`);
  };
  try {
    await Promise.all([
      runOne(
        'kafkajs',
        async () => true,
        () => kafkajsWorkload(bootstrap, prefix),
      ),
      runOne(
        'platformatic',
        async () => true,
        () => platformaticWorkload(bootstrap, prefix),
      ),
      runOne(
        'kcat',
        () => available('kcat', ['-V']),
        () => kcatWorkload(bootstrap, prefix),
      ),
      runOne(
        'python',
        () => available(PYTHON, ['-c', 'import confluent_kafka']),
        () => pythonWorkload(bootstrap, prefix),
      ),
    ]);
  } finally {
    await proxy.close();
    await broker.stop();
  }
  return { frames: proxy.frames, clients, ms: Date.now() - started };
}
