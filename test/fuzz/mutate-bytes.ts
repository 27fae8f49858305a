/**
 * Byte-level mutators (AFL-style havoc): bit flips, byte replace/insert/delete, interesting integers,
 * and length fields set to huge, negative or off-by-one values. Length fields are found by decoding
 * the seed with the real codec through a Reader that notes where each length prefix sits, so the
 * corruption lands on a string/bytes/array/tagged-field length rather than on a random offset.
 */
import { API_BY_KEY } from '../../broker/protocol/generated/index';
import { readRequestHeader } from '../../broker/protocol/generated/request-header';
import { requestHeaderVersion } from '../../broker/protocol/header';
import { Reader } from '../../broker/protocol/reader';
import type { Rng } from './prng';

export type LengthKind = 'int16' | 'int32' | 'uvarint';

export interface LengthField {
  offset: number;
  kind: LengthKind;
}

/** Notes the position of every length prefix the codec reads; values come from the real bytes. */
class TracingReader extends Reader {
  readonly lengths: LengthField[] = [];
  private depth = 0;

  private note(kind: LengthKind): void {
    if (this.depth === 0) this.lengths.push({ offset: this.offset, kind });
  }
  private traced<T>(kind: LengthKind, read: () => T): T {
    this.note(kind);
    this.depth++;
    try {
      return read();
    } finally {
      this.depth--;
    }
  }

  override nullableString(): string | null {
    return this.traced('int16', () => super.nullableString());
  }
  override compactNullableString(): string | null {
    return this.traced('uvarint', () => super.compactNullableString());
  }
  override nullableBytes(): Buffer | null {
    return this.traced('int32', () => super.nullableBytes());
  }
  override compactNullableBytes(): Buffer | null {
    return this.traced('uvarint', () => super.compactNullableBytes());
  }
  override arrayLength(): number {
    return this.traced('int32', () => super.arrayLength());
  }
  override compactArrayLength(): number {
    return this.traced('uvarint', () => super.compactArrayLength());
  }
  /** Direct calls come from readTaggedFields: the field count, each tag and each size. */
  override uvarint(): number {
    this.note('uvarint');
    this.depth++;
    try {
      return super.uvarint();
    } finally {
      this.depth--;
    }
  }
}

const traceCache = new WeakMap<Buffer, LengthField[]>();

/** Length fields of a request, as far as it decodes (a mutated seed may stop decoding part way). */
export function traceLengths(payload: Buffer): LengthField[] {
  const cached = traceCache.get(payload);
  if (cached) return cached;
  const r = new TracingReader(payload);
  try {
    const apiKey = payload.readInt16BE(0);
    const version = payload.readInt16BE(2);
    readRequestHeader(r, requestHeaderVersion(apiKey, version));
    API_BY_KEY[apiKey]?.readRequest(r, version);
  } catch {
    // Whatever was traced before the failure is still usable.
  }
  traceCache.set(payload, r.lengths);
  return r.lengths;
}

export const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x40];
export const INTERESTING_16 = [0, 1, -1, 0x7fff, -0x8000, 0xff, 0x100, 0x3ff, 1000, -2];
export const INTERESTING_32 = [
  0, 1, -1, -2, 0x7fff_ffff, -0x8000_0000, 0xffff, 0x10000, 0x7fff, 0x8000, 100_000, 0x1000_0000,
  1_000_000_000,
];

function uvarintBytes(v: number): Buffer {
  const out: number[] = [];
  let x = v >>> 0;
  while (x >= 0x80) {
    out.push((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  out.push(x);
  return Buffer.from(out);
}

function uvarintLength(buf: Buffer, at: number): number {
  let n = 0;
  while (at + n < buf.length && n < 5 && (buf[at + n] & 0x80) !== 0) n++;
  return Math.min(n + 1, buf.length - at);
}

function copyOf(buf: Buffer): Buffer {
  return Buffer.from(buf);
}

/** Each returns a new buffer (seeds are shared and never modified). */
export const BYTE_MUTATORS = {
  bitflip(rng: Rng, b: Buffer): Buffer {
    if (b.length === 0) return b;
    const out = copyOf(b);
    const flips = rng.chance(0.7) ? 1 : rng.range(2, 8);
    for (let i = 0; i < flips; i++) {
      const at = rng.int(out.length);
      out[at] ^= 1 << rng.int(8);
    }
    return out;
  },

  byteset(rng: Rng, b: Buffer): Buffer {
    if (b.length === 0) return b;
    const out = copyOf(b);
    const n = rng.chance(0.7) ? 1 : rng.range(2, 16);
    const at = rng.int(out.length);
    for (let i = at; i < Math.min(out.length, at + n); i++)
      out[i] = rng.chance(0.5) ? rng.pick(INTERESTING_8) : rng.int(256);
    return out;
  },

  insert(rng: Rng, b: Buffer): Buffer {
    const at = rng.int(b.length + 1);
    const n = rng.chance(0.8) ? rng.range(1, 8) : rng.range(9, 512);
    const fill = rng.chance(0.5) ? rng.bytes(n) : Buffer.alloc(n, rng.pick(INTERESTING_8));
    return Buffer.concat([b.subarray(0, at), fill, b.subarray(at)]);
  },

  delete(rng: Rng, b: Buffer): Buffer {
    if (b.length < 2) return b;
    const at = rng.int(b.length);
    const n = Math.min(b.length - at, rng.chance(0.8) ? rng.range(1, 8) : rng.range(9, 256));
    return Buffer.concat([b.subarray(0, at), b.subarray(at + n)]);
  },

  /** A chunk of the frame copied over (or into) another place: repeated fields and structs. */
  clone(rng: Rng, b: Buffer): Buffer {
    if (b.length < 4) return b;
    const from = rng.int(b.length);
    const n = Math.min(b.length - from, rng.range(1, 64));
    const chunk = b.subarray(from, from + n);
    const at = rng.int(b.length);
    if (rng.chance(0.5)) return Buffer.concat([b.subarray(0, at), chunk, b.subarray(at)]);
    const out = copyOf(b);
    chunk.copy(out, at);
    return out;
  },

  integer(rng: Rng, b: Buffer): Buffer {
    if (b.length < 4) return b;
    const out = copyOf(b);
    const width = rng.pick([2, 4, 8]);
    if (out.length < width) return out;
    const at = rng.int(out.length - width + 1);
    if (width === 2) out.writeInt16BE(rng.pick(INTERESTING_16), at);
    else if (width === 4) out.writeInt32BE(rng.pick(INTERESTING_32) | 0, at);
    else out.writeBigInt64BE(rng.pick([-1n, 0n, 0x7fff_ffff_ffff_ffffn, -0x8000_0000_0000_0000n]), at);
    return out;
  },

  truncate(rng: Rng, b: Buffer): Buffer {
    return b.subarray(0, rng.int(b.length));
  },

  /** Trailing bytes after a complete request. */
  append(rng: Rng, b: Buffer): Buffer {
    return Buffer.concat([b, rng.bytes(rng.range(1, 64))]);
  },

  /** A string/bytes/array/tagged-field length set to a lie. */
  length(rng: Rng, b: Buffer): Buffer {
    const fields = traceLengths(b);
    if (fields.length === 0) return BYTE_MUTATORS.integer(rng, b);
    const f = rng.pick(fields);
    if (f.offset >= b.length) return b;
    const out = copyOf(b);
    if (f.kind === 'int16' && f.offset + 2 <= out.length) {
      const cur = out.readInt16BE(f.offset);
      out.writeInt16BE(
        rng.pick([-1, -2, 0, 0x7fff, -0x8000, clamp16(cur + 1), clamp16(cur - 1), clamp16(cur * 2)]),
        f.offset,
      );
      return out;
    }
    if (f.kind === 'int32' && f.offset + 4 <= out.length) {
      const cur = out.readInt32BE(f.offset);
      const v = rng.pick([
        -1,
        -2,
        0,
        0x7fff_ffff,
        -0x8000_0000,
        cur + 1,
        cur - 1,
        cur * 2,
        0x10000,
        1_000_000,
      ]);
      out.writeInt32BE(v | 0, f.offset);
      return out;
    }
    // uvarint: the encoding may change width, so the rest of the frame shifts.
    const oldLen = uvarintLength(b, f.offset);
    let cur = 0;
    for (let i = 0; i < oldLen; i++) cur |= (b[f.offset + i] & 0x7f) << (7 * i);
    const pick = rng.int(7);
    const replacement =
      pick === 6
        ? Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) // overlong: more than 5 bytes
        : uvarintBytes([0, 1, cur + 1, Math.max(0, cur - 1), 0xffff_ffff, 0x1000_0000][pick]);
    return Buffer.concat([b.subarray(0, f.offset), replacement, b.subarray(f.offset + oldLen)]);
  },
} as const;

export type ByteMutatorName = keyof typeof BYTE_MUTATORS;

function clamp16(v: number): number {
  return Math.max(-0x8000, Math.min(0x7fff, v));
}
