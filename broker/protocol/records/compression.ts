/**
 * Codecs for the records section of a v2 batch (attribute bits 0-2; Kafka docs 5.3.1). Each codec
 * accepts what real clients write, which is not always one format:
 * - gzip: RFC 1952 (Java GZIPOutputStream, librdkafka zlib).
 * - snappy: the Java client writes xerial snappy-java stream framing; librdkafka writes one raw snappy
 *   block. snappy-java's SnappyInputStream reads both, so the broker must too.
 * - lz4: the LZ4 frame format (KIP-57 fixed the header checksum; v2 batches only use the correct one).
 * - zstd: zstd frames (KIP-110), with or without the content size (zstd-jni streams omit it).
 * Decompression is bounded by `limit` before any large allocation, so a small compressed batch cannot
 * make the broker allocate gigabytes.
 */
import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync, gzipSync } from 'node:zlib';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compress as zstdCompress } from 'zstd-napi';
import * as zstd from 'zstd-napi/binding';
import { Compression, COMPRESSION_NAMES } from './batch';
import { lz4FrameBound } from './lz4-frame';

export class DecompressionError extends Error {
  override name = 'DecompressionError';
  constructor(
    message: string,
    /** True when the data is well-formed but would exceed the caller's limit. */
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** snappy-java's SnappyCodec header: magic, then version and compatible version (both 1). */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;

export function isXerialSnappy(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.subarray(0, 8).equals(XERIAL_MAGIC);
}

function tooLarge(codec: string, size: number, limit: number): DecompressionError {
  return new DecompressionError(`${codec} data decompresses to ${size} bytes, over the ${limit} limit`, true);
}

/** Raw snappy starts with the uncompressed length as an unsigned varint: check it before allocating. */
function rawSnappy(block: Buffer, limit: number): Buffer {
  let len = 0;
  for (let i = 0, shift = 0; ; i++, shift += 7) {
    if (i >= block.length || i >= 5) throw new DecompressionError('snappy: bad length preamble');
    len += (block[i] & 0x7f) * 2 ** shift;
    if ((block[i] & 0x80) === 0) break;
  }
  if (len > limit) throw tooLarge('snappy', len, limit);
  return snappyUncompress(block) as Buffer;
}

function snappyDecompress(data: Buffer, limit: number): Buffer {
  if (!isXerialSnappy(data)) return rawSnappy(data, limit);
  const parts: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new DecompressionError('snappy: truncated xerial block length');
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) throw new DecompressionError('snappy: truncated xerial block');
    const part = rawSnappy(data.subarray(pos, pos + len), limit - total);
    total += part.length;
    parts.push(part);
    pos += len;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
}

const MAX_LENGTH = bufferConstants.MAX_LENGTH;
let dctx: zstd.DCtx | undefined;
const ZSTD_OUT_CHUNK = 128 * 1024;

function zstdDecompress(data: Buffer, limit: number): Buffer {
  dctx ??= new zstd.DCtx();
  dctx.reset(zstd.ResetDirective.sessionOnly);
  let size: number | null = null;
  try {
    if (zstd.findFrameCompressedSize(data) === data.length) size = zstd.getFrameContentSize(data);
  } catch (e) {
    throw new DecompressionError(`zstd: ${(e as Error).message}`);
  }
  if (size !== null) {
    if (size > limit) throw tooLarge('zstd', size, limit);
    const out = Buffer.allocUnsafe(size);
    const n = dctx.decompress(out, data);
    return n === size ? out : out.subarray(0, n);
  }
  // No declared size (zstd-jni streams, several frames): stream with a running total against the limit.
  const parts: Buffer[] = [];
  let total = 0;
  let src = data;
  let pending = 1;
  while (src.length > 0 || pending !== 0) {
    // One byte past the limit is enough room to notice that the limit was crossed.
    const out = Buffer.allocUnsafe(Math.min(ZSTD_OUT_CHUNK, limit - total + 1));
    const [ret, produced, consumed] = dctx.decompressStream(out, src);
    if (produced === 0 && consumed === 0) throw new DecompressionError('zstd: truncated frame');
    pending = ret;
    total += produced;
    if (total > limit) throw tooLarge('zstd', total, limit);
    parts.push(out.subarray(0, produced));
    src = src.subarray(consumed);
  }
  return Buffer.concat(parts, total);
}

/** Uncompressed bytes for codec 0-4; throws DecompressionError on bad data or past `limit` bytes. */
export function decompress(codec: number, data: Buffer, limit = Number.MAX_SAFE_INTEGER): Buffer {
  try {
    switch (codec) {
      case Compression.None:
        if (data.length > limit) throw tooLarge('none', data.length, limit);
        return data;
      case Compression.Gzip:
        return gunzipSync(data, { maxOutputLength: Math.min(limit, MAX_LENGTH) });
      case Compression.Snappy:
        return snappyDecompress(data, limit);
      case Compression.Lz4: {
        const bound = lz4FrameBound(data);
        if (bound > limit) throw tooLarge('lz4', bound, limit);
        const out = decompressFrameSync(data);
        if (out.length > limit) throw tooLarge('lz4', out.length, limit);
        return out;
      }
      case Compression.Zstd:
        return zstdDecompress(data, limit);
      default:
        throw new DecompressionError(`unknown compression codec ${codec}`);
    }
  } catch (e) {
    if (e instanceof DecompressionError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge('gzip', limit + 1, limit);
    throw new DecompressionError(`${COMPRESSION_NAMES[codec] ?? codec}: ${err.message}`);
  }
}

export function compress(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case Compression.None:
      return data;
    case Compression.Gzip:
      return gzipSync(data);
    case Compression.Snappy:
      // Raw, as librdkafka writes: every client reads raw snappy (snappy-java's SnappyInputStream falls
      // back to it), while some (@platformatic/kafka 1.x) cannot read the xerial framing.
      return snappyCompress(data);
    case Compression.Lz4:
      // Independent blocks without checksums, like the Java client's KafkaLZ4BlockOutputStream; lz4_flex
      // sizes blocks 64 KB-4 MB by input size, all valid block maximums every client reads.
      return compressFrameSync(data);
    case Compression.Zstd:
      return zstdCompress(data);
    default:
      throw new RangeError(`unknown compression codec ${codec}`);
  }
}
