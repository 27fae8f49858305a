/**
 * Helpers the generated codecs call for the encodings that vary by version: compact (flexible
 * versions, KIP-482) or classic lengths, nullability, arrays and tagged fields.
 */
import { ProtocolDecodeError, type Reader } from './reader';
import { Writer } from './writer';

export interface RawTaggedField {
  tag: number;
  data: Buffer;
}

export function readString(r: Reader, flex: boolean, nullable: boolean): string | null {
  const s = flex ? r.compactNullableString() : r.nullableString();
  if (s === null && !nullable) throw new ProtocolDecodeError('null in a non-nullable string field');
  return s;
}

export function writeString(w: Writer, flex: boolean, nullable: boolean, s: string | null | undefined): void {
  if (s == null && !nullable) throw new TypeError('null in a non-nullable string field');
  if (flex) w.compactNullableString(s);
  else w.nullableString(s);
}

export function readBytes(r: Reader, flex: boolean, nullable: boolean): Buffer | null {
  const b = flex ? r.compactNullableBytes() : r.nullableBytes();
  if (b === null && !nullable) throw new ProtocolDecodeError('null in a non-nullable bytes field');
  return b;
}

export function writeBytes(w: Writer, flex: boolean, nullable: boolean, b: Buffer | null | undefined): void {
  if (b == null && !nullable) throw new TypeError('null in a non-nullable bytes field');
  if (flex) w.compactNullableBytes(b);
  else w.nullableBytes(b);
}

export function readArray<T>(
  r: Reader,
  flex: boolean,
  nullable: boolean,
  item: (r: Reader) => T,
): T[] | null {
  const n = flex ? r.compactArrayLength() : r.arrayLength();
  if (n < 0) {
    if (!nullable) throw new ProtocolDecodeError('null in a non-nullable array field');
    return null;
  }
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = item(r);
  return out;
}

export function writeArray<T>(
  w: Writer,
  flex: boolean,
  nullable: boolean,
  arr: readonly T[] | null | undefined,
  item: (w: Writer, x: T) => void,
): void {
  if (arr == null) {
    if (!nullable) throw new TypeError('null in a non-nullable array field');
    if (flex) w.uvarint(0);
    else w.int32(-1);
    return;
  }
  if (flex) w.uvarint(arr.length + 1);
  else w.int32(arr.length);
  for (let i = 0; i < arr.length; i++) item(w, arr[i]);
}

/**
 * Reads a tagged-field section. `known` reads a tag it understands at this version and returns true;
 * anything else is kept raw so a decode -> encode round trip preserves it.
 */
export function readTaggedFields(
  r: Reader,
  target: { _unknownTaggedFields?: RawTaggedField[] },
  known?: (tag: number, r: Reader) => boolean,
): void {
  const n = r.uvarint();
  for (let i = 0; i < n; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    const start = r.offset;
    if (size > r.remaining) throw new ProtocolDecodeError(`tagged field ${tag} of ${size} bytes overruns`);
    if (known?.(tag, r)) {
      if (r.offset !== start + size) throw new ProtocolDecodeError(`tagged field ${tag} size mismatch`);
    } else {
      (target._unknownTaggedFields ??= []).push({ tag, data: Buffer.from(r.rawBytes(size)) });
    }
  }
}

export type TaggedOut = [tag: number, data: Buffer];

/** Encodes one tagged value on its own, so its size can precede it. */
export function encodeTagged(body: (w: Writer) => void): Buffer {
  const w = new Writer(64);
  body(w);
  return w.toBuffer();
}

export function writeTaggedFields(
  w: Writer,
  known: TaggedOut[] | undefined,
  unknown: RawTaggedField[] | undefined,
): void {
  if (!known && !unknown?.length) {
    w.uvarint(0);
    return;
  }
  const all: TaggedOut[] = [...(known ?? []), ...(unknown ?? []).map((u): TaggedOut => [u.tag, u.data])];
  all.sort((a, b) => a[0] - b[0]);
  w.uvarint(all.length);
  for (const [tag, data] of all) {
    w.uvarint(tag);
    w.uvarint(data.length);
    w.raw(data);
  }
}

const defaultBytesCache = new Map<string, Buffer>();

/** The encoding of a struct's default value at a version, computed once (tagged struct fields). */
export function defaultBytes(key: string, version: number, encode: () => Buffer): Buffer {
  const k = `${key}@${version}`;
  let b = defaultBytesCache.get(k);
  if (!b) defaultBytesCache.set(k, (b = encode()));
  return b;
}

export function nonNull<T>(v: T | null, field: string): T {
  if (v === null) throw new ProtocolDecodeError(`null in non-nullable field ${field}`);
  return v;
}

export const EMPTY_BYTES: Buffer = Buffer.alloc(0);
