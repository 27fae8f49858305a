/**
 * npm run bench: prints throughput figures. Benchmarks are not tests: nothing here asserts a time.
 * Each section is a module returning results; later issues add broker produce/fetch against peers.
 */
import { report } from './harness';
import { protocolBenchmarks } from './protocol';

function main(): void {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  console.log('\n== protocol codecs ==');
  report(protocolBenchmarks());
}

main();
