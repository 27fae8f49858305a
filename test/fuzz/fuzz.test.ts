/**
 * Bounded protocol fuzzing for CI: about 20,000 mutated requests (captured kafkajs/kcat/python/
 * @platformatic/kafka requests and synthesized ones for every served API version, see run.ts for the
 * long run) against a broker child process, in under 25 s. It fails on a crash (the process exits),
 * a hang (a fresh connection and a long-lived one get no ApiVersions answer within 5 s, even once
 * the fuzz traffic stops), an answer that does not decode or comes out of order, or broker RSS past
 * 640 MB (a handful of the decompression bombs it sends take a healthy broker to about 500 MB: the
 * 64 MB per-batch decompression cap, and the allocator keeps what it got).
 *
 * FUZZ_SEED=<n> replays another seed; FUZZ_BROKER_ENTRY=<file> runs another broker entry point (a
 * scratch copy with a planted bug shows that this test can fail).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBrokerChild, type BrokerChild, type BrokerChildOptions } from './broker-child';
import { loadCorpus, type Corpus } from './corpus';
import { saveFinding } from './crash';
import { runFuzz } from './engine';
import { hexDump } from './frames';
import { processed, progressLine } from './stats';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_122);
const brokerOptions: BrokerChildOptions = { entry: process.env.FUZZ_BROKER_ENTRY };

let corpus: Corpus;
let broker: BrokerChild;

beforeAll(async () => {
  // First run on a machine: captures the corpus with the real clients (about 15 s).
  corpus = await loadCorpus();
  broker = await startBrokerChild(brokerOptions);
}, 120_000);
afterAll(() => broker?.stop());

it('survives 20,000 mutated requests: no crash, no hang, in-order well-formed answers, bounded RSS', async () => {
  const { stats, finding } = await runFuzz({
    broker,
    seeds: corpus.seeds,
    seed: SEED,
    requests: 20_000,
    seconds: 25,
    connections: 32,
    livenessEvery: 1_000,
    livenessDeadlineMs: 5_000,
    quietMs: 250,
    maxRssBytes: 640 * 2 ** 20,
    partitionCap: 100,
  });
  console.log(`fuzz seed ${SEED}: ${progressLine(stats)}`);
  if (finding) {
    const saved = await saveFinding(finding, {
      seed: SEED,
      corpus: corpus.seeds,
      brokerOptions,
      log: () => {},
      maxReplayMs: 60_000,
    });
    const culprit = saved.culprit ? `\n${hexDump(saved.culprit.wire, 1024)}` : '';
    const tail = finding.brokerOutput.split('\n').slice(-15).join('\n');
    expect.fail(
      `${finding.kind}: ${finding.detail}\n${tail}\nsaved in ${saved.dir}; ${saved.replay}${culprit}`,
    );
  }
  expect(stats.mutatedProcessed).toBeGreaterThan(5_000);
  expect(processed(stats)).toBeGreaterThan(stats.mutatedProcessed);
  expect(stats.liveness.checks).toBeGreaterThanOrEqual(5);
  expect(stats.outOfOrderAnswers).toBe(0);
  expect(stats.malformedAnswers, JSON.stringify(stats.malformedSamples.map((m) => m.why))).toBe(0);
  expect(stats.unmatchedAnswers).toBe(0);
  expect(stats.rss.peak).toBeLessThan(640 * 2 ** 20);
}, 150_000);
