/**
 * Bounds-checked big-endian reader over one request/response frame. Every length read from the wire is
 * checked against the bytes left before anything is allocated, so a hostile length cannot make the
 * broker allocate or loop past the frame (it throws ProtocolDecodeError, which closes the connection).
 */
export class ProtocolDecodeError extends Error {
  override name = 'ProtocolDecodeError';
}

const ZERO_UUID_BYTES = Buffer.alloc(16);

export class Reader {
  offset: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    end = buf.length,
  ) {
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): number {
    const at = this.offset;
    if (n < 0 || at + n > this.end) {
      throw new ProtocolDecodeError(`need ${n} bytes at offset ${at}, only ${this.end - at} left`);
    }
    this.offset = at + n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }
  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }

  /** Unsigned LEB128 varint of at most 32 bits (Kafka's UNSIGNED_VARINT). */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.buf[this.need(1)];
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value >>> 0;
    }
    throw new ProtocolDecodeError('varint longer than 5 bytes');
  }

  /** Zig-zag signed varint (Kafka's VARINT). */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zig-zag signed varlong (Kafka's VARLONG). */
  varlong(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.buf[this.need(1)];
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (value >> 1n) ^ -(value & 1n);
    }
    throw new ProtocolDecodeError('varlong longer than 10 bytes');
  }

  /** Kafka's Uuid in its string form: 16 bytes as unpadded base64url (what kafka-topics prints). */
  uuid(): string {
    const at = this.need(16);
    return this.buf.toString('base64url', at, at + 16);
  }

  private utf8(len: number): string {
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolDecodeError('null in a non-nullable string');
    return s;
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    return this.utf8(len);
  }
  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolDecodeError('null in a non-nullable compact string');
    return s;
  }
  compactNullableString(): string | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    return this.utf8(len);
  }

  /** Zero-copy: the returned Buffer is a view of the frame. */
  rawBytes(len: number): Buffer {
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }
  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new ProtocolDecodeError('null in non-nullable bytes');
    return b;
  }
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    return this.rawBytes(len);
  }
  compactBytes(): Buffer {
    const b = this.compactNullableBytes();
    if (b === null) throw new ProtocolDecodeError('null in non-nullable compact bytes');
    return b;
  }
  compactNullableBytes(): Buffer | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    return this.rawBytes(len);
  }

  /**
   * Array length (int32, -1 = null). An element takes at least one byte on the wire, so a count larger
   * than the bytes left is a lie and is refused before any allocation.
   */
  arrayLength(): number {
    const n = this.int32();
    if (n > this.remaining) throw new ProtocolDecodeError(`array of ${n} in ${this.remaining} bytes`);
    return n;
  }
  compactArrayLength(): number {
    const n = this.uvarint() - 1;
    if (n > this.remaining) throw new ProtocolDecodeError(`array of ${n} in ${this.remaining} bytes`);
    return n;
  }
}

export const ZERO_UUID = ZERO_UUID_BYTES.toString('base64url');
