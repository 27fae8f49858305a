/**
 * Round trip of every generated codec at every version: a value with a non-default entry in every field
 * present at that version (and, separately, null wherever the version allows it) is encoded, decoded and
 * re-encoded; the bytes must match and the decoded value must equal the original.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROTOCOL_DIR } from './codegen/main';
import {
  intersect,
  isEmpty,
  kebab,
  loadAllSpecs,
  PRIMITIVES,
  type FieldSpec,
  type MessageSpec,
  type Range,
} from './codegen/spec';
import { Reader } from './reader';
import { Writer } from './writer';

const hasSpecs = existsSync(DEFAULT_PROTOCOL_DIR);
const specs = hasSpecs ? loadAllSpecs(join(DEFAULT_PROTOCOL_DIR, 'messages')) : [];

const inRange = (v: number, r: Range) => v >= r.min && v <= r.max;

/** Deterministic, clearly non-default values. */
function sample(
  msg: MessageSpec,
  fields: FieldSpec[],
  v: number,
  nulls: boolean,
  seed: { n: number },
): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const flexible = inRange(v, msg.flexibleVersions);
  for (const f of fields) {
    if (!inRange(v, f.versions)) continue;
    const key = f.name[0].toLowerCase() + f.name.slice(1);
    if (nulls && inRange(v, f.nullableVersions)) {
      o[key] = null;
      continue;
    }
    o[key] = value(msg, f, f.type, v, nulls, seed);
  }
  if (flexible && !nulls)
    o._unknownTaggedFields = [{ tag: 10_000 + (seed.n++ % 5), data: Buffer.from([1, 2, seed.n & 0xff]) }];
  return o;
}

function structFields(msg: MessageSpec, f: FieldSpec, type: string): FieldSpec[] {
  const fields = f.fields ?? msg.commonStructs.find((c) => c.name === type)?.fields;
  if (!fields) throw new Error(`no struct ${type}`);
  return fields;
}

function value(
  msg: MessageSpec,
  f: FieldSpec,
  type: string,
  v: number,
  nulls: boolean,
  seed: { n: number },
): unknown {
  const n = ++seed.n;
  if (type.startsWith('[]')) {
    const el = type.slice(2);
    return [value(msg, f, el, v, nulls, seed), value(msg, f, el, v, nulls, seed)];
  }
  if (!PRIMITIVES.has(type)) return sample(msg, structFields(msg, f, type), v, nulls, seed);
  const def = f.default !== undefined && !type.startsWith('[]') ? f.default : undefined;
  switch (type) {
    case 'bool':
      return def !== 'true';
    case 'int8':
      return (n % 100) + 1 === Number(def) ? -5 : (n % 100) + 1;
    case 'int16':
      return 1000 + n;
    case 'uint16':
      return 60_000 + (n % 5000);
    case 'int32':
      return 100_000 + n;
    case 'uint32':
      return 4_000_000_000 + n;
    case 'int64':
      return -(1n << 40n) - BigInt(n);
    case 'float64':
      return 1.25 + n;
    case 'string':
      return `çäfé-${f.name}-${n}`;
    case 'uuid':
      return Buffer.alloc(16, n).toString('base64url');
    case 'bytes':
      return Buffer.from([n & 0xff, 0, 255]);
    case 'records':
      return Buffer.alloc(40, n & 0xff);
    default:
      throw new Error(type);
  }
}

interface Codec {
  read(r: Reader, v: number): unknown;
  write(w: Writer, v: number, o: unknown): void;
}

async function codecOf(msg: MessageSpec): Promise<Codec> {
  const module = kebab(
    msg.type === 'request' || msg.type === 'response'
      ? msg.name.replace(/(Request|Response)$/, '')
      : msg.name,
  );
  const m = (await import(/* @vite-ignore */ `./generated/${module}`)) as Record<string, unknown>;
  return { read: m[`read${msg.name}`] as Codec['read'], write: m[`write${msg.name}`] as Codec['write'] };
}

function roundTrip(codec: Codec, v: number, o: unknown): void {
  const w = new Writer(16);
  codec.write(w, v, o);
  const bytes = w.toBuffer();
  const r = new Reader(bytes);
  const decoded = codec.read(r, v);
  expect(r.remaining).toBe(0);
  const diff = firstDiff(decoded, o, '');
  expect(diff, `v${v}`).toBe(null);
  const w2 = new Writer(16);
  codec.write(w2, v, decoded);
  expect(w2.toBuffer().equals(bytes)).toBe(true);
}

describe.runIf(hasSpecs)('generated codecs round-trip', () => {
  for (const msg of specs) {
    it(`${msg.name} v${msg.validVersions.min}-${msg.validVersions.max}`, async () => {
      const codec = await codecOf(msg);
      expect(typeof codec.read).toBe('function');
      const valid = intersect(msg.validVersions, { min: 0, max: 1000 });
      expect(isEmpty(valid)).toBe(false);
      for (let v = valid.min; v <= valid.max; v++) {
        roundTrip(codec, v, sample(msg, msg.fields, v, false, { n: v }));
        roundTrip(codec, v, sample(msg, msg.fields, v, true, { n: v }));
      }
    });
  }

  it('covers every API key in the definitions', async () => {
    const { API_SPECS } = await import('./generated/index');
    const keys = specs.filter((s) => s.type === 'request').map((s) => s.apiKey);
    expect(API_SPECS.map((a) => a.apiKey)).toEqual([...keys].sort((a, b) => a! - b!));
    // Kafka 4.0's definitions hold 88 API keys (0-92 with gaps).
    expect(API_SPECS.length).toBeGreaterThanOrEqual(88);
  });
});

/** Path and values of the first difference, comparing only the keys the expected value has. */
function firstDiff(actual: unknown, expected: unknown, path: string): string | null {
  if (Buffer.isBuffer(expected))
    return Buffer.isBuffer(actual) && actual.equals(expected) ? null : `${path}: buffer`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return `${path}: array ${String(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDiff(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return `${path}: ${String(actual)} is not an object`;
    for (const [k, ev] of Object.entries(expected)) {
      const d = firstDiff((actual as Record<string, unknown>)[k], ev, `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(actual, expected) ? null : `${path}: ${String(actual)} !== ${String(expected)}`;
}
