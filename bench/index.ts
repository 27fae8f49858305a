/**
 * npm run bench: prints throughput figures. Benchmarks are not tests: nothing here asserts a time.
 * Each section is a module returning or printing results. `npm run bench -- <section>...` runs only
 * the named sections (protocol, data-plane, fetch-capacity, e2e-latency, rebalance).
 */
import { dataPlaneBenchmarks } from './data-plane';
import { endToEndLatencyBenchmarks } from './e2e-latency';
import { fetchCapacityBenchmarks } from './fetch-capacity';
import { report } from './harness';
import { protocolBenchmarks } from './protocol';
import { rebalanceBenchmarks } from './rebalance';
import { loadAverage } from './sampling';

const sections: Record<string, { title: string; run: () => Promise<void> | void }> = {
  protocol: { title: 'protocol codecs', run: () => report(protocolBenchmarks()) },
  'data-plane': { title: 'data plane', run: dataPlaneBenchmarks },
  'fetch-capacity': {
    title: 'fetch capacity (raw Fetch v12, no record decoding)',
    run: fetchCapacityBenchmarks,
  },
  'e2e-latency': { title: 'end-to-end latency (produce -> group consumer)', run: endToEndLatencyBenchmarks },
  rebalance: { title: 'consumer group rebalance', run: rebalanceBenchmarks },
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((s) => !(s in sections));
  if (unknown.length > 0)
    throw new Error(`unknown section ${unknown.join(', ')}; have ${Object.keys(sections).join(', ')}`);
  console.log(`node ${process.version}, ${new Date().toISOString()}, load average ${loadAverage()}`);
  for (const [name, section] of Object.entries(sections)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    console.log(`\n== ${section.title} ==`);
    try {
      await section.run();
    } catch (err) {
      // A section that fails says why; the others still run.
      console.log(`section ${name} failed: ${((err as Error).stack ?? String(err)).trim()}`);
      process.exitCode = 1;
    }
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
