/**
 * Kafka's size-delimited framing (int32 big-endian size, then that many bytes), decoded across arbitrary
 * TCP chunk boundaries. Chunks are kept as a list and each frame is copied at most once, so a 100 MB
 * request arriving in 64 KB reads costs O(n), not O(n^2). A frame that lies inside one chunk is returned
 * as a zero-copy view: Node allocates a fresh buffer per socket read (no `onread` buffer reuse here), so
 * the view stays valid for as long as a handler keeps it.
 *
 * It is a pull decoder (`next()`), so the connection can stop taking frames mid-chunk when it applies
 * back-pressure and leave the rest buffered.
 */

/** Kafka's InvalidReceiveException: a declared size that is negative or above socket.request.max.bytes. */
export class InvalidReceiveError extends Error {
  override name = 'InvalidReceiveError';

  constructor(
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`Invalid receive (size = ${size} larger than ${maxBytes} or negative)`);
  }
}

const SIZE_BYTES = 4;
const EMPTY = Buffer.alloc(0);

export class FrameDecoder {
  private readonly chunks: Buffer[] = [];
  /** Read position inside chunks[0]. */
  private head = 0;
  /** Unconsumed bytes across all chunks. */
  private buffered = 0;
  /** Size of the frame whose prefix has been read, or -1 while waiting for a prefix. */
  private frameSize = -1;

  constructor(private readonly maxFrameBytes: number) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** True when bytes of an incomplete frame (or its size prefix) are held: EOF now means truncation. */
  get hasPartialFrame(): boolean {
    return this.frameSize >= 0 || this.buffered > 0;
  }

  /**
   * The next complete frame payload, or null when more bytes are needed. Throws InvalidReceiveError as
   * soon as a bad size prefix is seen, before any of its body is buffered.
   */
  next(): Buffer | null {
    if (this.frameSize < 0) {
      if (this.buffered < SIZE_BYTES) return null;
      const size = this.take(SIZE_BYTES).readInt32BE(0);
      if (size < 0 || size > this.maxFrameBytes) throw new InvalidReceiveError(size, this.maxFrameBytes);
      this.frameSize = size;
    }
    if (this.buffered < this.frameSize) return null;
    const frame = this.take(this.frameSize);
    this.frameSize = -1;
    return frame;
  }

  private take(n: number): Buffer {
    if (n === 0) return EMPTY;
    this.buffered -= n;
    const first = this.chunks[0];
    if (first.length - this.head >= n) {
      const view = first.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      return view;
    }
    const out = Buffer.allocUnsafe(n);
    let copied = 0;
    let used = 0;
    while (copied < n) {
      const chunk = this.chunks[used];
      const count = Math.min(chunk.length - this.head, n - copied);
      chunk.copy(out, copied, this.head, this.head + count);
      copied += count;
      if (this.head + count === chunk.length) {
        used++;
        this.head = 0;
      } else {
        this.head += count;
      }
    }
    this.chunks.splice(0, used);
    return out;
  }
}
