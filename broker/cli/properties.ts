/**
 * `--property k=v`, `--producer-property k=v`, `--consumer-property k=v` and the files given with
 * `--producer.config` / `--consumer.config`: Java-properties-style key/value pairs (comments with # or
 * !, `=` or `:` as separator), later sources overriding earlier ones.
 */
import { readFileSync } from 'node:fs';
import { CliError, UsageError } from './errors';

export function parsePropertyArgs(items: string[], option: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`Invalid ${option} '${item}': expected key=value`);
    m.set(item.slice(0, eq).trim(), item.slice(eq + 1));
  }
  return m;
}

export function readPropertiesFile(file: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`Cannot read ${file}: ${(e as Error).message}`);
  }
  const m = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const at = line.search(/[=:]/);
    if (at < 0) m.set(line, '');
    else m.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return m;
}

export function merged(...sources: Map<string, string>[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of sources) for (const [k, v] of s) m.set(k, v);
  return m;
}

export function boolProp(props: Map<string, string>, key: string, fallback = false): boolean {
  const v = props.get(key);
  return v === undefined ? fallback : v.trim().toLowerCase() === 'true';
}

export function intProp(props: Map<string, string>, key: string): number | undefined {
  const v = props.get(key);
  if (v === undefined) return undefined;
  if (!/^\s*-?\d+\s*$/.test(v))
    throw new UsageError(`Invalid value ${v} for configuration ${key}: Not a number`);
  return Number(v);
}
