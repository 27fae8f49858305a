/**
 * Emits the TypeScript interface, reader, writer and default constructor of one struct of a message.
 * Version-dependent encodings become `v >= n` conditions, folded away where the struct's own version
 * range makes them constant, so the common path is straight-line code.
 */
import { camel, intersect, isEmpty, PRIMITIVES, type FieldSpec, type Range } from './spec';

export interface StructDef {
  tsName: string;
  range: Range; // versions in which this struct can appear
  fields: FieldSpec[];
}

export interface EmitContext {
  flexible: Range; // the message's flexible versions
  structName(specName: string): string; // spec struct name -> TS name
}

/** A condition on `v`, folded to 'true' / 'false' when it is constant over `within`. */
export function cond(r: Range, within: Range): string {
  if (isEmpty(intersect(r, within))) return 'false';
  const parts: string[] = [];
  if (within.min < r.min) parts.push(`v >= ${r.min}`);
  if (within.max > r.max) parts.push(`v <= ${r.max}`);
  return parts.length === 0 ? 'true' : parts.join(' && ');
}

function and(a: string, b: string): string {
  if (a === 'false' || b === 'false') return 'false';
  if (a === 'true') return b;
  if (b === 'true') return a;
  return `${a} && ${b}`;
}

const elemType = (t: string) => (t.startsWith('[]') ? t.slice(2) : null);
const isStruct = (t: string) => !PRIMITIVES.has(t);

function tsPrimitive(t: string): string {
  switch (t) {
    case 'bool':
      return 'boolean';
    case 'int64':
      return 'bigint';
    case 'string':
    case 'uuid':
      return 'string';
    case 'bytes':
    case 'records':
      return 'Buffer';
    default:
      return 'number';
  }
}

/** Versions in which the field is a regular (not tagged) field, and in which it is tagged. */
function presence(f: FieldSpec, within: Range): { regular: Range; tagged: Range } {
  const all = intersect(f.versions, within);
  if (f.tag === undefined) return { regular: all, tagged: { min: 1, max: 0 } };
  const tagged = intersect(all, f.taggedVersions);
  const regular = isEmpty(tagged) ? all : intersect(all, { min: all.min, max: tagged.min - 1 });
  return { regular, tagged };
}

export function fieldType(f: FieldSpec, ctx: EmitContext, within: Range): string {
  const el = elemType(f.type);
  const base = el
    ? `${isStruct(el) ? ctx.structName(el) : tsPrimitive(el)}[]`
    : isStruct(f.type)
      ? ctx.structName(f.type)
      : tsPrimitive(f.type);
  const nullable =
    f.type === 'records' ||
    !isEmpty(intersect(intersect(f.nullableVersions, f.versions), within)) ||
    (f.default === 'null' && (isStruct(f.type) || f.type === 'string'));
  return nullable ? `${base} | null` : base;
}

export function defaultValue(f: FieldSpec, ctx: EmitContext): string {
  const d = f.default;
  if (elemType(f.type)) return '[]';
  if (isStruct(f.type)) return d === 'null' ? 'null' : `default${ctx.structName(f.type)}()`;
  switch (f.type) {
    case 'bool':
      return d === 'true' ? 'true' : 'false';
    case 'int64':
      return d === undefined ? '0n' : `${BigInt(d)}n`;
    case 'string':
      return d === undefined ? "''" : d === 'null' ? 'null' : JSON.stringify(d);
    case 'uuid':
      return 'ZERO_UUID';
    case 'bytes':
      return 'EMPTY_BYTES';
    case 'records':
      return 'null';
    default:
      return d === undefined ? '0' : String(Number(d));
  }
}

function readExpr(f: FieldSpec, ctx: EmitContext, F: string, N: string, tsType: string): string {
  const nullableType = tsType.endsWith('| null');
  const el = elemType(f.type);
  if (el) {
    const cast = el === 'string' || el === 'bytes' ? ` as ${tsPrimitive(el)}` : '';
    const item = isStruct(el)
      ? `(r) => read${ctx.structName(el)}(r, v)`
      : `(r) => ${readPrim(el, F, 'false')}${cast}`;
    const e = `readArray(r, ${F}, ${N}, ${item})`;
    return nullableType ? e : `${e} as ${tsType}`;
  }
  if (isStruct(f.type)) {
    const rd = `read${ctx.structName(f.type)}(r, v)`;
    return N === 'false' ? rd : `(${N}) && r.int8() < 0 ? null : ${rd}`;
  }
  if (f.type === 'records') return `readBytes(r, ${F}, true)`;
  const e = readPrim(f.type, F, N);
  return !nullableType && (f.type === 'string' || f.type === 'bytes') ? `${e} as ${tsType}` : e;
}

function readPrim(t: string, F: string, N: string): string {
  if (t === 'string') return `readString(r, ${F}, ${N})`;
  if (t === 'bytes') return `readBytes(r, ${F}, ${N})`;
  return `r.${t}()`;
}

function writePrim(t: string, F: string, N: string, val: string, w = 'w'): string {
  if (t === 'string') return `writeString(${w}, ${F}, ${N}, ${val})`;
  if (t === 'bytes' || t === 'records')
    return `writeBytes(${w}, ${F}, ${t === 'records' ? 'true' : N}, ${val})`;
  return `${w}.${t}(${val})`;
}

function writeStmt(f: FieldSpec, ctx: EmitContext, F: string, N: string, val: string, w = 'w'): string {
  const el = elemType(f.type);
  if (el) {
    const item = isStruct(el)
      ? `(w, x) => write${ctx.structName(el)}(w, v, x)`
      : `(w, x) => ${writePrim(el, F, 'false', 'x')}`;
    return `writeArray(${w}, ${F}, ${N}, ${val}, ${item});`;
  }
  if (isStruct(f.type)) {
    const wr = (s: string) => `write${ctx.structName(f.type)}(${w}, v, ${s})`;
    if (N === 'false') return `${wr(val + '!')};`;
    return `{ const s = ${val}; if ((${N}) && s == null) ${w}.int8(-1); else { if (${N}) ${w}.int8(1); ${wr('s!')}; } }`;
  }
  return `${writePrim(f.type, F, N, val, w)};`;
}

function isDefaultCheck(f: FieldSpec, ctx: EmitContext, val: string, def: string): string {
  if (elemType(f.type) || f.type === 'bytes' || f.type === 'records')
    return `${val} != null && ${val}.length > 0`;
  if (isStruct(f.type)) return `${val} != null`;
  if (def === 'null') return `${val} != null`;
  return `${val} !== undefined && ${val} !== ${def}`;
}

export function emitStruct(s: StructDef, ctx: EmitContext): string {
  const within = s.range;
  const name = s.tsName;
  const flexCond = cond(ctx.flexible, within);
  const out: string[] = [];

  out.push(`export interface ${name} {`);
  for (const f of s.fields) {
    const { regular } = presence(f, within);
    const always = regular.min <= within.min && regular.max >= within.max;
    const optional = !always || f.tag !== undefined || f.default !== undefined;
    if (f.about) out.push(`  /** ${f.about.replace(/\*\//g, '*\\/')} */`);
    out.push(`  ${camel(f.name)}${optional ? '?' : ''}: ${fieldType(f, ctx, within)};`);
  }
  out.push(`  _unknownTaggedFields?: RawTaggedField[];`, `}`, ``);

  const defaults = s.fields.map((f) => `${camel(f.name)}: ${defaultValue(f, ctx)}`).join(', ');
  out.push(`export function default${name}(): ${name} {`, `  return { ${defaults} };`, `}`, ``);

  // Reader
  out.push(`export function read${name}(r: Reader, v: number): ${name} {`);
  out.push(`  const o: ${name} = { ${defaults} };`);
  const taggedReads: string[] = [];
  for (const f of s.fields) {
    const { regular, tagged } = presence(f, within);
    const F = cond(f.flexibleVersions ?? ctx.flexible, regular);
    const N = cond(f.nullableVersions, regular);
    const tsType = fieldType(f, ctx, within);
    const present = cond(regular, within);
    if (present !== 'false') {
      const stmt = `o.${camel(f.name)} = ${readExpr(f, ctx, F, N, tsType)};`;
      out.push(present === 'true' ? `  ${stmt}` : `  if (${present}) ${stmt}`);
    }
    const tcond = cond(tagged, within);
    if (tcond !== 'false') {
      const TN = cond(f.nullableVersions, tagged);
      const c = and(`tag === ${f.tag}`, tcond);
      taggedReads.push(
        `    if (${c}) { o.${camel(f.name)} = ${readExpr(f, ctx, 'true', TN, tsType)}; return true; }`,
      );
    }
  }
  if (flexCond !== 'false') {
    const known = taggedReads.length
      ? `, (tag, r) => {\n${taggedReads.join('\n')}\n    return false;\n  }`
      : '';
    const stmt = `readTaggedFields(r, o${known});`;
    out.push(flexCond === 'true' ? `  ${stmt}` : `  if (${flexCond}) ${stmt}`);
  }
  out.push(`  return o;`, `}`, ``);

  // Writer
  out.push(`export function write${name}(w: Writer, v: number, o: ${name}): void {`);
  const taggedWrites: string[] = [];
  for (const f of s.fields) {
    const { regular, tagged } = presence(f, within);
    const key = camel(f.name);
    const def = defaultValue(f, ctx);
    const always = regular.min <= within.min && regular.max >= within.max;
    const optional = !always || f.tag !== undefined || f.default !== undefined;
    const nullable = fieldType(f, ctx, within).endsWith('| null');
    const val = !optional
      ? `o.${key}`
      : nullable
        ? `(o.${key} === undefined ? ${def} : o.${key})`
        : `(o.${key} ?? ${def})`;
    const present = cond(regular, within);
    if (present !== 'false') {
      const F = cond(f.flexibleVersions ?? ctx.flexible, regular);
      const N = cond(f.nullableVersions, regular);
      const stmt = writeStmt(f, ctx, F, N, val);
      out.push(present === 'true' ? `  ${stmt}` : `  if (${present}) ${stmt}`);
    }
    const tcond = cond(tagged, within);
    if (tcond !== 'false') {
      const TN = cond(f.nullableVersions, tagged);
      const body = writeStmt(f, ctx, 'true', TN, `o.${key}!`, 'tw');
      const enc = `encodeTagged((tw) => { ${body} })`;
      const check = and(tcond, isDefaultCheck(f, ctx, `o.${key}`, def));
      if (isStruct(f.type) && !elemType(f.type) && def !== 'null') {
        const sn = ctx.structName(f.type);
        taggedWrites.push(
          `    if (${check}) { const b = ${enc}; if (!b.equals(defaultBytes('${sn}', v, () => encodeTagged((tw) => write${sn}(tw, v, default${sn}()))))) (t ??= []).push([${f.tag}, b]); }`,
        );
      } else {
        taggedWrites.push(`    if (${check}) (t ??= []).push([${f.tag}, ${enc}]);`);
      }
    }
  }
  if (flexCond !== 'false') {
    const open = flexCond === 'true' ? '  {' : `  if (${flexCond}) {`;
    if (taggedWrites.length === 0) {
      const stmt = `writeTaggedFields(w, undefined, o._unknownTaggedFields);`;
      out.push(flexCond === 'true' ? `  ${stmt}` : `  if (${flexCond}) ${stmt}`);
    } else {
      out.push(open, `    let t: TaggedOut[] | undefined;`, ...taggedWrites);
      out.push(`    writeTaggedFields(w, t, o._unknownTaggedFields);`, `  }`);
    }
  }
  out.push(`}`, ``);
  return out.join('\n');
}
