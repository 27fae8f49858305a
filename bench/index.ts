/**
 * npm run bench: prints throughput figures. Benchmarks are not tests: nothing here asserts a time.
 * Each section is a module returning or printing results. `npm run bench -- <section>...` runs only
 * the named sections (protocol, data-plane).
 */
import { dataPlaneBenchmarks } from './data-plane';
import { report } from './harness';
import { protocolBenchmarks } from './protocol';

const sections: Record<string, { title: string; run: () => Promise<void> | void }> = {
  protocol: { title: 'protocol codecs', run: () => report(protocolBenchmarks()) },
  'data-plane': { title: 'data plane', run: dataPlaneBenchmarks },
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((s) => !(s in sections));
  if (unknown.length > 0)
    throw new Error(`unknown section ${unknown.join(', ')}; have ${Object.keys(sections).join(', ')}`);
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  for (const [name, section] of Object.entries(sections)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    console.log(`\n== ${section.title} ==`);
    await section.run();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
