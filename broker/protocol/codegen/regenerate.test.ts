/** The committed generated code must be exactly what the generator makes from ../shared today. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from './generate';
import { DEFAULT_PROTOCOL_DIR, GENERATED_DIR } from './main';

describe.runIf(existsSync(DEFAULT_PROTOCOL_DIR))('protocol codegen', () => {
  const files = generate(DEFAULT_PROTOCOL_DIR);

  it('committed output equals a fresh generation (run npm run gen:protocol if not)', () => {
    const committed = readdirSync(GENERATED_DIR)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    expect(committed).toEqual([...files.keys()].sort());
    for (const [name, content] of files) {
      expect(readFileSync(join(GENERATED_DIR, name), 'utf8') === content, `${name} differs`).toBe(true);
    }
  });

  it('marks every file DO NOT EDIT', () => {
    for (const content of files.values()) expect(content.startsWith('// DO NOT EDIT.')).toBe(true);
  });
});
