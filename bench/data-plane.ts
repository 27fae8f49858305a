/**
 * Data plane: produce and consume through our broker (a child process, log on disk) with real clients,
 * and the same producers against librdkafka's in-memory mock cluster in the same run, the reference
 * DESIGN.md names. Prints figures; a step that fails prints why and the rest still run.
 *
 * The python producer hosts the mock itself (as `test.mock.num.brokers` does); kafkajs reaches a mock
 * served by a python process. The clients share the 2 cores with the broker, so the broker's own CPU
 * time per step is printed too: it is the figure that moves when the broker gets faster.
 *
 * BENCH_RECORDS scales the run (default 1,000,000). BENCH_PROFILE=1 (or a directory) runs the broker
 * under node --cpu-prof and prints its hottest functions; the profile is kept in data/bench-profiles.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { startBrokerProcess, type BrokerMemory, type BrokerProcess } from './broker-process';
import {
  createTopic,
  kafkajsProduce,
  kcatConsume,
  pythonConsume,
  pythonProduce,
  startMockCluster,
  type KafkajsResult,
  type ProduceResult,
} from './clients';
import { formatSummary, summarizeCpuProfile, type TimeWindow } from './cpu-profile';

const RECORD_SIZE = 100;
const PARTITIONS = 6;
// kafkajs spends ~13 us of CPU per record (measured here), so its runs are capped to stay short.
const KAFKAJS_MAX_RECORDS = 250_000;
const KAFKAJS_PER_SEND = 1000;
const KAFKAJS_IN_FLIGHT = 8;
const NAME_WIDTH = 34;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;

interface Figures {
  records: number;
  seconds: number;
  records_per_sec: number;
}

function line(name: string, r: Figures, detail: string, brokerCpu?: number): void {
  const mbps = (r.records_per_sec * RECORD_SIZE) / 1e6;
  const cpu = brokerCpu === undefined ? '' : `  broker CPU ${fmt(brokerCpu, 2)} s`;
  console.log(
    `${name.padEnd(NAME_WIDTH)} ${fmt(r.records_per_sec).padStart(11)} records/s ${fmt(mbps, 1).padStart(6)} MB/s  ${detail}(${fmt(r.seconds, 2)} s)${cpu}`,
  );
}

const latency = (r: ProduceResult) => `p50 ${fmt(r.p50_ms, 1)} ms  p99 ${fmt(r.p99_ms, 1)} ms  `;

function ratio(name: string, ours: Figures | undefined, mock: Figures | undefined): void {
  if (ours && mock) {
    console.log(
      `${name.padEnd(NAME_WIDTH)} ${fmt(ours.records_per_sec / mock.records_per_sec, 2).padStart(11)}`,
    );
  }
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
/** When each step against our broker ran, to cut the broker's CPU profile by step. */
const stepWindows: { name: string; window: TimeWindow }[] = [];

/** Runs a step; a failure prints why and yields undefined so later steps still run. */
async function step<T extends Figures>(
  name: string,
  fn: () => Promise<T>,
  broker?: BrokerProcess,
): Promise<{ result: T; brokerCpu?: number } | undefined> {
  try {
    const cpu0 = broker?.cpuSeconds();
    const fromUs = nowUs();
    const result = await fn();
    if (broker) stepWindows.push({ name, window: { fromUs, toUs: nowUs() } });
    return { result, brokerCpu: cpu0 === undefined ? undefined : broker!.cpuSeconds() - cpu0 };
  } catch (err) {
    console.log(`${name.padEnd(NAME_WIDTH)} failed: ${(err as Error).message.trim()}`);
    return undefined;
  }
}

function countCheck(r: Figures, expected: number): string {
  return r.records === expected ? '' : `GOT ${fmt(r.records)} OF ${fmt(expected)} RECORDS  `;
}

function memory(broker: BrokerProcess): BrokerMemory | undefined {
  try {
    return broker.memory();
  } catch {
    return undefined;
  }
}

function profileDir(): string | undefined {
  const v = process.env.BENCH_PROFILE;
  if (!v || v === '0') return undefined;
  const dir = path.resolve(v === '1' ? path.join(__dirname, '..', 'data', 'bench-profiles') : v);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function dataPlaneBenchmarks(): Promise<void> {
  const records = Number(process.env.BENCH_RECORDS ?? 1_000_000);
  if (!Number.isInteger(records) || records <= 0) throw new Error(`BENCH_RECORDS must be a positive integer`);
  const spec = { records, size: RECORD_SIZE, partitions: PARTITIONS };
  const load = loadavg().map((l) => l.toFixed(1));
  console.log(
    `${fmt(records)} records x ${RECORD_SIZE} B, ${PARTITIONS} partitions, acks=1, no compression; load average ${load.join(' ')}`,
  );

  const profiles = profileDir();
  const before = new Set(profiles ? readdirSync(profiles) : []);
  const broker = await startBrokerProcess({ cpuProfileDir: profiles });
  let afterProduce: BrokerMemory | undefined;
  let afterRun: BrokerMemory | undefined;
  try {
    console.log(`broker pid ${broker.pid} on ${broker.bootstrap}, log dir ${broker.logDir}`);
    const topic = 'bench-python';
    const kafkajsTopic = 'bench-kafkajs';
    await createTopic(broker.bootstrap, topic, PARTITIONS);
    await createTopic(broker.bootstrap, kafkajsTopic, PARTITIONS);

    const pyOurs = await step(
      'produce python',
      () => pythonProduce(broker.bootstrap, { ...spec, topic }),
      broker,
    );
    if (pyOurs) {
      const r = pyOurs.result;
      line('produce python -> ours', r, latency(r), pyOurs.brokerCpu);
    }
    afterProduce = memory(broker);
    const pyMock = await step('produce python -> mock', () => pythonProduce('mock', { ...spec, topic }));
    if (pyMock) line('produce python -> librdkafka mock', pyMock.result, latency(pyMock.result));
    ratio('  ours / mock', pyOurs?.result, pyMock?.result);

    const js = {
      ...spec,
      records: Math.min(records, KAFKAJS_MAX_RECORDS),
      topic: kafkajsTopic,
      perSend: KAFKAJS_PER_SEND,
      inFlight: KAFKAJS_IN_FLIGHT,
    };
    const jsDetail = (r: KafkajsResult) =>
      `${fmt(r.records)} records, ${KAFKAJS_PER_SEND}/send, ${KAFKAJS_IN_FLIGHT} in flight, kafkajs CPU ${fmt(r.clientCpu, 2)} s  `;
    const jsOurs = await step('produce kafkajs', () => kafkajsProduce(broker.bootstrap, js), broker);
    if (jsOurs) line('produce kafkajs -> ours', jsOurs.result, jsDetail(jsOurs.result), jsOurs.brokerCpu);
    const jsMock = await step('produce kafkajs -> mock', async () => {
      const mock = await startMockCluster({ [kafkajsTopic]: PARTITIONS });
      try {
        return await kafkajsProduce(mock.bootstrap, js);
      } finally {
        await mock.stop();
      }
    });
    if (jsMock) line('produce kafkajs -> librdkafka mock', jsMock.result, jsDetail(jsMock.result));
    ratio('  ours / mock', jsOurs?.result, jsMock?.result);

    if (pyOurs) {
      const py = await step('consume python', () => pythonConsume(broker.bootstrap, topic, records), broker);
      if (py)
        line('consume python assign() <- ours', py.result, countCheck(py.result, records), py.brokerCpu);
      const kcat = await step('consume kcat', () => kcatConsume(broker.bootstrap, topic), broker);
      if (kcat) {
        const detail = `${countCheck(kcat.result, records)}with start-up  `;
        line('consume kcat -C -e <- ours', kcat.result, detail, kcat.brokerCpu);
      }
    }
    afterRun = memory(broker);
  } finally {
    await broker.stop();
  }
  const rss = (m: BrokerMemory | undefined) => (m ? mib(m.rss) : 'n/a');
  const peak = afterRun ? mib(afterRun.peakRss) : 'n/a';
  console.log(`broker RSS after python produce ${rss(afterProduce)}, at end ${rss(afterRun)}, peak ${peak}`);
  if (profiles) printProfiles(profiles, before);
}

function printProfiles(dir: string, before: Set<string>): void {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread; tsx's module
  // loader runs on another and only matters at start-up.
  const main = readdirSync(dir).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f) && !before.has(f));
  for (const f of main) {
    const file = path.join(dir, f);
    console.log(`\nbroker CPU profile ${file} (main thread), by step:`);
    for (const { name, window } of stepWindows) {
      console.log(`\n-- ${name} --`);
      console.log(formatSummary(summarizeCpuProfile(file, window), 15));
    }
  }
}
