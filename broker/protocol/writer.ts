/**
 * Growable big-endian writer. Large byte fields (record batches) are kept as references and emitted as
 * separate chunks, so a Fetch response can hand segment bytes to the socket without copying them.
 */
const BIG_CHUNK = 16 * 1024;
const UUID_RE = /^[A-Za-z0-9_-]{22}$/;

export class Writer {
  private buf: Buffer;
  private pos = 0;
  private readonly chunks: Buffer[] = [];
  private chunkedLength = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes written so far, including referenced chunks. */
  get length(): number {
    return this.chunkedLength + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }
  bool(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }
  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  uint16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }
  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }
  int64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }
  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }
  uvarint(v: number): this {
    this.ensure(5);
    let u = v >>> 0;
    while (u >= 0x80) {
      this.buf[this.pos++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    this.buf[this.pos++] = u;
    return this;
  }
  varint(v: number): this {
    return this.uvarint((v << 1) ^ (v >> 31));
  }
  varlong(v: bigint): this {
    this.ensure(10);
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
    return this;
  }
  uuid(v: string): this {
    if (!UUID_RE.test(v)) throw new TypeError(`not a Kafka uuid string: ${v}`);
    this.ensure(16);
    this.buf.write(v, this.pos, 16, 'base64url');
    this.pos += 16;
    return this;
  }

  private utf8(s: string, len: number): void {
    this.ensure(len);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
  }
  string(s: string): this {
    const len = Buffer.byteLength(s);
    if (len > 0x7fff) throw new RangeError(`string of ${len} bytes is too long for a Kafka STRING`);
    this.int16(len);
    this.utf8(s, len);
    return this;
  }
  nullableString(s: string | null | undefined): this {
    if (s == null) return this.int16(-1);
    return this.string(s);
  }
  compactString(s: string): this {
    const len = Buffer.byteLength(s);
    this.uvarint(len + 1);
    this.utf8(s, len);
    return this;
  }
  compactNullableString(s: string | null | undefined): this {
    if (s == null) return this.uvarint(0);
    return this.compactString(s);
  }

  /** Appends bytes; large ones are referenced, not copied. */
  raw(b: Buffer | Uint8Array): this {
    if (b.length >= BIG_CHUNK) {
      this.cut();
      const chunk = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length);
      this.chunks.push(chunk);
      this.chunkedLength += chunk.length;
      return this;
    }
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  bytes(b: Buffer | Uint8Array): this {
    this.int32(b.length);
    return this.raw(b);
  }
  nullableBytes(b: Buffer | Uint8Array | null | undefined): this {
    if (b == null) return this.int32(-1);
    return this.bytes(b);
  }
  compactBytes(b: Buffer | Uint8Array): this {
    this.uvarint(b.length + 1);
    return this.raw(b);
  }
  compactNullableBytes(b: Buffer | Uint8Array | null | undefined): this {
    if (b == null) return this.uvarint(0);
    return this.compactBytes(b);
  }

  /** Moves the bytes written so far into the chunk list and starts a fresh buffer. */
  private cut(): void {
    if (this.pos === 0) return;
    const part = this.buf.subarray(0, this.pos);
    this.chunks.push(part);
    this.chunkedLength += part.length;
    this.buf = Buffer.allocUnsafe(Math.max(256, this.buf.length - this.pos));
    this.pos = 0;
  }

  /** Overwrites an int32 at an absolute position already written (e.g. a frame's size prefix). */
  patchInt32(position: number, v: number): void {
    let at = position;
    for (const c of this.chunks) {
      if (at < c.length) {
        c.writeInt32BE(v, at);
        return;
      }
      at -= c.length;
    }
    this.buf.writeInt32BE(v, at);
  }

  toChunks(): Buffer[] {
    return this.pos === 0 ? [...this.chunks] : [...this.chunks, this.buf.subarray(0, this.pos)];
  }

  toBuffer(): Buffer {
    if (this.chunks.length === 0) return this.buf.subarray(0, this.pos);
    return Buffer.concat(this.toChunks(), this.length);
  }
}
