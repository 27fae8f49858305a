/**
 * npm run fuzz [-- --requests N] [--seconds S] [--connections C] [--seed X] [--recapture]
 *              [--liveness-every K] [--quiet-ms Q] [--max-rss-mb M] [--max-partitions-per-request P]
 *              [--stop-on-finding]
 * npm run fuzz -- --replay data/fuzz-crashes/<dir>
 *
 * Protocol fuzzing of the broker as a child process: mutated real client requests (kafkajs, kcat,
 * confluent-kafka-python and @platformatic/kafka, captured into data/fuzz-corpus/ on first use) and
 * synthesized requests for every API version it serves. Stops after N mutated frames the broker has
 * read (default 1,000,000) or S seconds (default 600), whichever comes first. A crash, hang or memory
 * blow-up is saved under data/fuzz-crashes/ with the frame that reproduces it alone (printed as hex),
 * and the run goes on with a fresh broker unless --stop-on-finding. Exit status 1 when anything was
 * found. P (default 100, 0 = none) holds back a known finding, see capPartitions in cases.ts.
 */
import { parseArgs } from 'node:util';
import { startBrokerChild, type BrokerChildOptions } from './broker-child';
import { loadCorpus } from './corpus';
import { replaySaved, saveFinding } from './crash';
import { runFuzz, type Finding } from './engine';
import { hexDump } from './frames';
import { processed, progressLine, report, type FuzzStats } from './stats';

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a non-negative number, got "${value}"`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      seed: { type: 'string' },
      recapture: { type: 'boolean' },
      'liveness-every': { type: 'string' },
      'quiet-ms': { type: 'string' },
      'max-rss-mb': { type: 'string' },
      'max-partitions-per-request': { type: 'string' },
      'stop-on-finding': { type: 'boolean' },
      replay: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run fuzz -- [--requests 1000000] [--seconds 600] [--connections 48] [--seed N] [--recapture]\n' +
        '                       [--liveness-every 2000] [--quiet-ms 250] [--max-rss-mb 1024] [--stop-on-finding]\n' +
        '                       [--max-partitions-per-request 100 (0: no cap)]\n' +
        '       npm run fuzz -- --replay data/fuzz-crashes/<dir>   (find the culprit of a saved finding again)',
    );
    return 0;
  }
  const requests = int(values.requests, 1_000_000, 'requests');
  const seconds = int(values.seconds, 600, 'seconds');
  const seed = int(values.seed, Date.now() % 0x7fff_ffff, 'seed');
  const log = (msg: string) => console.log(msg);

  const corpus = await loadCorpus({ recapture: values.recapture, log });
  const m = corpus.manifest;
  log(
    `corpus: ${corpus.seeds.length} captured frames (${Object.entries(m.frames)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}), ${Object.keys(m.apis).length} API versions, captured ${m.createdAt}`,
  );
  log(`seed ${seed}; budget ${requests} mutated frames or ${seconds} s`);

  const brokerOptions: BrokerChildOptions = {};
  if (values.replay) {
    const saved = await replaySaved(values.replay, { corpus: corpus.seeds, brokerOptions, log });
    log(`replay: ${saved.replay}`);
    if (saved.culprit) log(hexDump(saved.culprit.wire));
    return saved.culprit ? 1 : 0;
  }
  const started = Date.now();
  const runs: FuzzStats[] = [];
  const findings: { finding: Finding; saved: Awaited<ReturnType<typeof saveFinding>> }[] = [];
  let mutated = 0;
  let round = 0;
  while (mutated < requests && Date.now() - started < seconds * 1000) {
    const broker = await startBrokerChild(brokerOptions);
    log(`broker pid ${broker.pid} on ${broker.host}:${broker.port}`);
    let result;
    try {
      result = await runFuzz({
        broker,
        seeds: corpus.seeds,
        seed: seed + round,
        requests: requests - mutated,
        seconds: seconds - (Date.now() - started) / 1000,
        connections: int(values.connections, 48, 'connections'),
        livenessEvery: int(values['liveness-every'], 2_000, 'liveness-every'),
        livenessDeadlineMs: 5_000,
        quietMs: int(values['quiet-ms'], 250, 'quiet-ms'),
        maxRssBytes: int(values['max-rss-mb'], 1_024, 'max-rss-mb') * 2 ** 20,
        partitionCap: int(values['max-partitions-per-request'], 100, 'max-partitions-per-request'),
        onProgress: (s) => log(progressLine(s)),
      });
    } finally {
      await broker.stop();
    }
    round++;
    runs.push(result.stats);
    mutated += result.stats.mutatedProcessed;
    log('');
    log(report(result.stats));
    if (!result.finding) continue;
    const finding = result.finding;
    log('');
    log(`FINDING: ${finding.kind}: ${finding.detail}`);
    log(finding.brokerOutput.split('\n').slice(-30).join('\n'));
    const saved = await saveFinding(finding, {
      seed: seed + round - 1,
      corpus: corpus.seeds,
      brokerOptions,
      log,
    });
    findings.push({ finding, saved });
    log(`replay: ${saved.replay}`);
    if (saved.culprit) log(hexDump(saved.culprit.wire));
    if (values['stop-on-finding']) break;
  }

  const total = runs.reduce(
    (t, s) => ({
      mutated: t.mutated + s.mutatedProcessed,
      frames: t.frames + s.frames,
      processed: t.processed + processed(s),
      ms: t.ms + s.elapsedMs,
      checks: t.checks + s.liveness.checks,
      peak: Math.max(t.peak, s.rss.peak),
    }),
    { mutated: 0, frames: 0, processed: 0, ms: 0, checks: 0, peak: 0 },
  );
  log('');
  log(
    `TOTAL: ${total.mutated} mutated frames processed by the broker (${total.processed} frames in all, ` +
      `${total.frames} written) ` +
      `in ${(total.ms / 1000).toFixed(0)} s = ${((total.processed / total.ms) * 1000).toFixed(0)} requests/s; ` +
      `${runs.length} broker run(s); liveness checks ${total.checks}; peak RSS ${(total.peak / 2 ** 20).toFixed(0)} MB; ` +
      `crashes ${findings.filter((f) => f.finding.kind === 'crash').length}, ` +
      `hangs ${findings.filter((f) => f.finding.kind === 'hang').length}, ` +
      `other findings ${findings.filter((f) => f.finding.kind !== 'crash' && f.finding.kind !== 'hang').length}`,
  );
  for (const f of findings)
    log(`  ${f.finding.kind}: ${f.finding.detail} -> ${f.saved.dir} (${f.saved.replay})`);
  return findings.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
