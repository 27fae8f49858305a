/**
 * End-to-end latency: confluent-kafka-python produces at a moderate steady rate (acks=1, linger 1 ms)
 * and a kafkajs consumer-group member in this process receives; each value carries its send time on
 * CLOCK_MONOTONIC (python time.monotonic_ns(), node process.hrtime.bigint(): the same clock across
 * processes), and receive - send is taken when kafkajs hands the batch to eachBatch. The consumer
 * uses kafkajs defaults (maxWaitTimeInMs 5000, minBytes 1), so it relies on the broker answering a
 * long-polling Fetch as soon as data arrives.
 */
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { startBrokerProcess, type BrokerProcess } from './broker-process';
import { createTopic, pythonPacedProduce } from './clients';
import { fmt, loadAverage, mib, quantile, sampleBroker, sleep, within } from './sampling';

const TOPIC = 'bench-e2e';
const GROUP = 'bench-e2e-group';
const PARTITIONS = 6;
const RATE = 2_000;
const SECONDS = 10;
const RECORD_SIZE = 100;
const LINGER_MS = 1;
const NAME_WIDTH = 34;

export async function endToEndLatencyBenchmarks(): Promise<void> {
  console.log(
    `python producer ${fmt(RATE)} records/s for ${SECONDS} s, ${RECORD_SIZE} B, acks=1, linger.ms ${LINGER_MS} -> ` +
      `${PARTITIONS} partitions -> one kafkajs group member (eachBatch); load average ${loadAverage()}`,
  );
  let broker: BrokerProcess | undefined;
  let consumer: Consumer | undefined;
  try {
    broker = await startBrokerProcess({ properties: { 'group.initial.rebalance.delay.ms': 0 } });
    await createTopic(broker.bootstrap, TOPIC, PARTITIONS);
    const kafka = new Kafka({
      clientId: 'bench-e2e',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    const c = kafka.consumer({ groupId: GROUP });
    consumer = c;
    const latencies: number[] = [];
    const seen = new Set<string>();
    let received = 0;
    let badValues = 0;
    let fetches = 0;
    c.on(c.events.FETCH, () => fetches++);
    const joined = new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve()));
    await c.connect();
    await c.subscribe({ topic: TOPIC, fromBeginning: true });
    await c.run({
      eachBatch: async ({ batch }) => {
        const now = process.hrtime.bigint();
        for (const m of batch.messages) {
          received++;
          seen.add(`${batch.partition}:${m.offset}`);
          const value = m.value?.toString('latin1', 0, 24) ?? '';
          const space = value.indexOf(' ');
          if (space <= 0) {
            badValues++;
            continue;
          }
          latencies.push(Number(now - BigInt(value.slice(0, space))) / 1e6);
        }
      },
    });
    await within(joined, 30_000, 'the consumer joining its group');
    await sleep(300); // let the member's first fetches start

    const usage = sampleBroker(broker);
    const t0 = process.hrtime.bigint();
    const fetches0 = fetches;
    const produced = await pythonPacedProduce(broker.bootstrap, {
      topic: TOPIC,
      rate: RATE,
      seconds: SECONDS,
      size: RECORD_SIZE,
      lingerMs: LINGER_MS,
    });
    const deadline = Date.now() + 10_000;
    while (seen.size < produced.records && Date.now() < deadline) await sleep(20);
    const u = usage.stop();
    const window = Number(process.hrtime.bigint() - t0) / 1e9;

    latencies.sort((a, b) => a - b);
    const ms = (q: number) => `${fmt(quantile(latencies, q), 1)} ms`;
    const errors = produced.errors ? `  ${produced.errors} PRODUCE ERRORS (${produced.first_error})` : '';
    const got =
      seen.size === produced.records
        ? `${fmt(seen.size)} of ${fmt(produced.records)} received`
        : `GOT ${fmt(seen.size)} OF ${fmt(produced.records)} RECORDS`;
    const dups = received > seen.size ? `, ${fmt(received - seen.size)} duplicates` : '';
    const bad = badValues ? `, ${badValues} values without a send time` : '';
    console.log(
      `${'end-to-end python -> kafkajs group'.padEnd(NAME_WIDTH)} p50 ${ms(0.5)}  p99 ${ms(0.99)}  max ${ms(1)}  ` +
        `${got}${dups}${bad}${errors}`,
    );
    const ack = (v: number | null) => (v === null ? 'n/a' : `${fmt(v, 1)} ms`);
    console.log(
      `${'  produce ack (acks=1)'.padEnd(NAME_WIDTH)} p50 ${ack(produced.ack_p50_ms)}  p99 ${ack(produced.ack_p99_ms)}  ` +
        `max ${ack(produced.ack_max_ms)}  ${fmt(produced.records_per_sec)} records/s sent over ${fmt(produced.seconds, 2)} s`,
    );
    console.log(
      `${'  broker'.padEnd(NAME_WIDTH)} CPU ${fmt(u.cpuSeconds, 2)} s over ${fmt(window, 1)} s (${fmt((100 * u.cpuSeconds) / window)}% of a core), RSS max ${mib(u.maxRss)}, ${fmt(fetches - fetches0)} kafkajs fetches answered`,
    );
  } finally {
    if (consumer) await within(consumer.disconnect(), 10_000, 'consumer disconnect').catch(() => {});
    await broker?.stop();
  }
}
