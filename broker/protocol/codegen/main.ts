/**
 * npm run gen:protocol [-- --in <kafka-protocol dir>] [--out <dir>]
 * Regenerates broker/protocol/generated from ../shared/kafka-protocol. The output is committed.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from './generate';

export const DEFAULT_PROTOCOL_DIR = resolve(__dirname, '../../../../shared/kafka-protocol');
export const GENERATED_DIR = resolve(__dirname, '../generated');

function main(): void {
  const { values } = parseArgs({ options: { in: { type: 'string' }, out: { type: 'string' } } });
  const inDir = resolve(values.in ?? DEFAULT_PROTOCOL_DIR);
  const outDir = resolve(values.out ?? GENERATED_DIR);
  const files = generate(inDir);
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith('.ts') && !files.has(f)) rmSync(join(outDir, f));
  for (const [name, content] of files) writeFileSync(join(outDir, name), content);
  console.log(`wrote ${files.size} files to ${outDir}`);
}

if (require.main === module) main();
