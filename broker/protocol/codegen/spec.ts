/**
 * Loads Kafka's message definitions (../shared/kafka-protocol/messages/*.json, JSON with // comments)
 * into a typed model. Version ranges follow Kafka's syntax: "3+", "0-2", "5", "none".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Range {
  min: number;
  max: number; // Infinity for "N+"; min > max means empty
}

export interface FieldSpec {
  name: string;
  type: string;
  versions: Range;
  nullableVersions: Range;
  taggedVersions: Range;
  tag?: number;
  flexibleVersions?: Range; // per-field override (RequestHeader.ClientId is never compact)
  default?: string;
  ignorable?: boolean;
  fields?: FieldSpec[];
  about?: string;
}

export interface MessageSpec {
  file: string;
  name: string;
  type: 'request' | 'response' | 'header' | 'data' | string;
  apiKey?: number;
  listeners: string[];
  validVersions: Range;
  flexibleVersions: Range;
  latestVersionUnstable: boolean;
  fields: FieldSpec[];
  commonStructs: { name: string; versions: Range; fields: FieldSpec[] }[];
}

export const EMPTY: Range = { min: 1, max: 0 };

export function parseRange(s: string | undefined): Range {
  if (s === undefined || s === 'none' || s === '') return EMPTY;
  const plus = /^(\d+)\+$/.exec(s);
  if (plus) return { min: Number(plus[1]), max: Infinity };
  const span = /^(\d+)-(\d+)$/.exec(s);
  if (span) return { min: Number(span[1]), max: Number(span[2]) };
  if (/^\d+$/.test(s)) return { min: Number(s), max: Number(s) };
  throw new Error(`bad version range: ${s}`);
}

export function intersect(a: Range, b: Range): Range {
  return { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
}

export function isEmpty(r: Range): boolean {
  return r.min > r.max;
}

/** Removes // comments outside string literals. */
export function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  default?: string | number | boolean;
  ignorable?: boolean;
  fields?: RawField[];
  about?: string;
}

function toField(f: RawField, structVersions: Range): FieldSpec {
  return {
    name: f.name,
    type: f.type,
    versions: f.versions === undefined ? structVersions : parseRange(f.versions),
    nullableVersions: parseRange(f.nullableVersions),
    taggedVersions: parseRange(f.taggedVersions),
    tag: f.tag,
    flexibleVersions: f.flexibleVersions === undefined ? undefined : parseRange(f.flexibleVersions),
    default: f.default === undefined ? undefined : String(f.default),
    ignorable: f.ignorable,
    fields: f.fields?.map((x) => toField(x, parseRange(f.versions))),
    about: f.about,
  };
}

export function loadSpec(file: string, text: string): MessageSpec {
  const raw = JSON.parse(stripComments(text));
  const valid = parseRange(raw.validVersions);
  return {
    file,
    name: raw.name,
    type: raw.type,
    apiKey: raw.apiKey,
    listeners: raw.listeners ?? [],
    validVersions: valid,
    flexibleVersions: parseRange(raw.flexibleVersions),
    latestVersionUnstable: raw.latestVersionUnstable === true,
    fields: (raw.fields as RawField[]).map((f) => toField(f, valid)),
    commonStructs: (
      (raw.commonStructs ?? []) as { name: string; versions: string; fields: RawField[] }[]
    ).map((s) => ({
      name: s.name,
      versions: parseRange(s.versions),
      fields: s.fields.map((f) => toField(f, parseRange(s.versions))),
    })),
  };
}

export function loadAllSpecs(dir: string): MessageSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadSpec(f, readFileSync(join(dir, f), 'utf8')));
}

export interface ErrorSpec {
  code: number;
  name: string;
  message: string | null;
  retriable: boolean;
}

export function loadErrors(file: string): ErrorSpec[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as ErrorSpec[]).map((e) => ({
    code: e.code,
    name: e.name,
    message: e.message,
    retriable: e.retriable,
  }));
}

export const PRIMITIVES = new Set([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'uuid',
  'bytes',
  'records',
]);

export function camel(name: string): string {
  return name[0].toLowerCase() + name.slice(1);
}

export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}
