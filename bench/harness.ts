/** Tiny benchmark runner: warms up, then runs for a fixed time and reports operations per second. */
export interface BenchResult {
  name: string;
  opsPerSec: number;
  extra?: string;
}

export function measure(
  name: string,
  fn: () => void,
  opts: { ms?: number; batch?: number } = {},
): BenchResult {
  const ms = opts.ms ?? 1500;
  const batch = opts.batch ?? 100;
  for (let i = 0; i < batch * 10; i++) fn(); // warm-up so the JIT has compiled the hot path
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    now = process.hrtime.bigint();
  }
  return { name, opsPerSec: (ops * 1e9) / Number(now - start) };
}

export function report(results: BenchResult[]): void {
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const ops = Math.round(r.opsPerSec).toLocaleString('en-US');
    console.log(`${r.name.padEnd(width)}  ${ops.padStart(14)} ops/s${r.extra ? `  ${r.extra}` : ''}`);
  }
}
