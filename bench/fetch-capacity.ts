/**
 * Fetch capacity: what the broker can serve, independent of any client's record decoding. A minimal
 * consumer on the generated codecs (bench/wire.ts) fetches every partition of a topic over one
 * connection with Fetch v12 (maxBytes 50 MB, partitionMaxBytes 8 MB) and counts records from the batch
 * headers only (recordCount at byte 57 of each batch); records are never decoded.
 *
 * The topic is filled by the python producer first (BENCH_RECORDS, default 1,000,000 x 100 B, 6
 * partitions). Each fetch loop wraps back to offset 0 when its partitions reach the high watermark and
 * keeps going for FETCH_SECONDS, so the figure is a steady rate, not one short pass. Pipelined runs
 * split the partitions among N fetch loops on the same connection (N requests in flight, each over
 * its own partitions: offsets of a partition are only known once its previous response is back).
 */
import { ApiKey } from '../broker/protocol/generated/index';
import { readFetchResponse, type FetchRequest, type FetchResponse } from '../broker/protocol/generated/fetch';
import { startBrokerProcess, type BrokerProcess } from './broker-process';
import { createTopic, pythonProduce } from './clients';
import { fmt, loadAverage, mib, sampleBroker } from './sampling';
import { WireClient } from './wire';

const TOPIC = 'bench-fetch';
const PARTITIONS = 6;
const RECORD_SIZE = 100;
const FETCH_VERSION = 12;
const MAX_BYTES = 50 * 1024 * 1024;
const PARTITION_MAX_BYTES = 8 * 1024 * 1024;
const FETCH_SECONDS = 3;
const IN_FLIGHT = [1, 2, 3];
// Batch header (magic v2): baseOffset int64 @0, batchLength int32 @8, lastOffsetDelta int32 @23,
// recordCount int32 @57; 61 bytes in all.
const BATCH_HEADER = 61;
const NAME_WIDTH = 34;

interface Counted {
  records: number;
  bytes: number;
  /** The offset after the last complete batch, or -1 when the data held no complete batch. */
  nextOffset: number;
}

/** Walks the batch headers of a partition's record data; a truncated last batch is not counted. */
export function countBatches(data: Buffer): Counted {
  let at = 0;
  let records = 0;
  let nextOffset = -1;
  while (at + BATCH_HEADER <= data.length) {
    const end = at + 12 + data.readInt32BE(at + 8);
    if (end > data.length) break;
    records += data.readInt32BE(at + 57);
    nextOffset = Number(data.readBigInt64BE(at)) + data.readInt32BE(at + 23) + 1;
    at = end;
  }
  return { records, bytes: at, nextOffset };
}

interface LoopTotals {
  records: number;
  bytes: number;
  fetches: number;
  /** Records counted in the loop's first full pass over its partitions, or -1 if it did not finish one. */
  firstPass: number;
}

interface FetchTotals extends LoopTotals {
  seconds: number;
}

/** One fetch loop over `partitions`; wraps to offset 0 at the high watermark until `deadline`. */
async function fetchLoop(client: WireClient, partitions: number[], deadline: bigint): Promise<LoopTotals> {
  const totals: LoopTotals = { records: 0, bytes: 0, fetches: 0, firstPass: -1 };
  const offsets = new Map(partitions.map((p) => [p, 0]));
  const highWatermarks = new Map<number, number>();
  while (process.hrtime.bigint() < deadline) {
    const wanted = partitions.filter((p) => offsets.get(p)! < (highWatermarks.get(p) ?? Infinity));
    if (wanted.length === 0) {
      if (totals.firstPass < 0) totals.firstPass = totals.records;
      for (const p of partitions) offsets.set(p, 0); // a pass is done: start over
      continue;
    }
    const req: FetchRequest = {
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: MAX_BYTES,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1, // full fetches, no fetch session
      topics: [
        {
          topic: TOPIC,
          partitions: wanted.map((p) => ({
            partition: p,
            fetchOffset: BigInt(offsets.get(p)!),
            partitionMaxBytes: PARTITION_MAX_BYTES,
          })),
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    };
    const frame = await client.send(ApiKey.Fetch, FETCH_VERSION, req);
    try {
      countResponse(readFetchResponse(frame.body, FETCH_VERSION), offsets, highWatermarks, totals);
    } finally {
      frame.release(); // the record data are slices of the frame
    }
  }
  return totals;
}

function countResponse(
  res: FetchResponse,
  offsets: Map<number, number>,
  highWatermarks: Map<number, number>,
  totals: LoopTotals,
): void {
  if (res.errorCode) throw new Error(`Fetch error code ${res.errorCode}`);
  totals.fetches++;
  for (const topic of res.responses) {
    for (const part of topic.partitions) {
      if (part.errorCode)
        throw new Error(`Fetch partition ${part.partitionIndex}: error code ${part.errorCode}`);
      const hw = Number(part.highWatermark);
      highWatermarks.set(part.partitionIndex, hw);
      if (!part.records || part.records.length === 0) continue;
      const counted = countBatches(part.records);
      if (counted.nextOffset < 0) {
        if (offsets.get(part.partitionIndex)! < hw)
          throw new Error(`partition ${part.partitionIndex}: no complete batch in ${part.records.length} B`);
        continue;
      }
      totals.records += counted.records;
      totals.bytes += counted.bytes;
      offsets.set(part.partitionIndex, counted.nextOffset);
    }
  }
}

async function measureFetch(client: WireClient, inFlight: number): Promise<FetchTotals> {
  const groups = Array.from({ length: inFlight }, (_, g) =>
    Array.from({ length: PARTITIONS }, (_, p) => p).filter((p) => p % inFlight === g),
  );
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(FETCH_SECONDS * 1e9);
  const loops = await Promise.all(groups.map((partitions) => fetchLoop(client, partitions, deadline)));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sum = (f: (l: LoopTotals) => number) => loops.reduce((n, l) => n + f(l), 0);
  return {
    records: sum((l) => l.records),
    bytes: sum((l) => l.bytes),
    fetches: sum((l) => l.fetches),
    firstPass: loops.some((l) => l.firstPass < 0) ? -1 : sum((l) => l.firstPass),
    seconds,
  };
}

export async function fetchCapacityBenchmarks(): Promise<void> {
  const records = Number(process.env.BENCH_RECORDS ?? 1_000_000);
  if (!Number.isInteger(records) || records <= 0) throw new Error('BENCH_RECORDS must be a positive integer');
  console.log(
    `Fetch v${FETCH_VERSION}, one connection, ${PARTITIONS} partitions, maxBytes ${MAX_BYTES / 2 ** 20} MiB, ` +
      `partitionMaxBytes ${PARTITION_MAX_BYTES / 2 ** 20} MiB, records counted from batch headers; load average ${loadAverage()}`,
  );
  let broker: BrokerProcess | undefined;
  let client: WireClient | undefined;
  try {
    broker = await startBrokerProcess();
    await createTopic(broker.bootstrap, TOPIC, PARTITIONS);
    const produced = await pythonProduce(broker.bootstrap, {
      topic: TOPIC,
      records,
      size: RECORD_SIZE,
      partitions: PARTITIONS,
    });
    console.log(
      `${'fill: produce python -> ours'.padEnd(NAME_WIDTH)} ${fmt(produced.records_per_sec).padStart(11)} records/s  ` +
        `(${fmt(records)} x ${RECORD_SIZE} B in ${fmt(produced.seconds, 2)} s)`,
    );
    client = await WireClient.connect(broker.bootstrap, 'bench-fetch');
    const v = client.version(ApiKey.Fetch, FETCH_VERSION);
    if (v !== FETCH_VERSION) throw new Error(`the broker does not serve Fetch v${FETCH_VERSION}`);
    for (const inFlight of IN_FLIGHT) {
      const cpu0 = process.cpuUsage();
      const usage = sampleBroker(broker);
      const t = await measureFetch(client, inFlight);
      const u = usage.stop();
      const cpu = process.cpuUsage(cpu0);
      const clientCpu = (cpu.user + cpu.system) / 1e6;
      const pass =
        t.firstPass === records
          ? ''
          : t.firstPass < 0
            ? 'NO FULL PASS  '
            : `A PASS HELD ${fmt(t.firstPass)} RECORDS  `;
      const name = `fetch ${inFlight} in flight (${PARTITIONS / inFlight} partitions each)`;
      const rps = t.records / t.seconds;
      const mbps = t.bytes / t.seconds / 1e6;
      console.log(
        `${name.padEnd(NAME_WIDTH)} ${fmt(rps).padStart(11)} records/s ${fmt(mbps, 1).padStart(6)} MB/s  ` +
          `${pass}${fmt(t.records)} records, ${fmt(t.fetches)} fetches, ${fmt(t.bytes / t.fetches / 2 ** 20, 1)} MiB/fetch (${fmt(t.seconds, 2)} s)  ` +
          `broker CPU ${fmt(u.cpuSeconds, 2)} s (${fmt((100 * u.cpuSeconds) / t.seconds)}% of a core), RSS max ${mib(u.maxRss)}  ` +
          `client CPU ${fmt(clientCpu, 2)} s (sys ${fmt(cpu.system / 1e6, 2)})`,
      );
    }
    const m = broker.memory();
    console.log(`broker RSS at end ${mib(m.rss)}, peak since start ${mib(m.peakRss)} (includes the fill)`);
    console.log(
      `  targets: >= 1,500,000 records/s (issue 3); Kafka's published single consumer: 940,000 records/s`,
    );
  } finally {
    client?.close();
    await broker?.stop();
  }
}
