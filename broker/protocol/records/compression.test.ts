import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressSync as rawSnappy, uncompressSync as rawUnsnappy } from 'snappy';
import { decompressFrameSync } from 'lz4-napi';
import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';
import { Compression } from './batch';
import { compress, decompress, DecompressionError, isXerialSnappy } from './compression';

const CODECS = [Compression.Gzip, Compression.Snappy, Compression.Lz4, Compression.Zstd];
const NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Compressible but not trivial: JSON-ish lines with random ids. */
function sample(size: number): Buffer {
  const parts: string[] = [];
  let n = 0;
  while (n < size) {
    const line = `{"id":"${randomBytes(6).toString('hex')}","n":${n},"msg":"héllo wörld ✓"}\n`;
    parts.push(line);
    n += Buffer.byteLength(line);
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

function cli(cmd: string, args: string[], input: Buffer): Buffer {
  return execFileSync(cmd, args, { input, maxBuffer: 64 << 20 });
}

/** snappy-java's stream framing built by hand from raw snappy blocks of the given sizes. */
function xerial(data: Buffer, blockSize: number): Buffer {
  const parts: Buffer[] = [Buffer.from('82534e41505059000000000100000001', 'hex')];
  for (let p = 0; p < data.length; p += blockSize) {
    const block = rawSnappy(data.subarray(p, p + blockSize));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

describe('round trips', () => {
  for (const codec of [Compression.None, ...CODECS]) {
    it(`${NAMES[codec]}: empty, small and multi-block inputs`, () => {
      for (const size of [0, 1, 100, 40_000, 300_000]) {
        const data = sample(size);
        expect(decompress(codec, compress(codec, data)).equals(data)).toBe(true);
      }
    });
  }
});

describe('what other encoders produce', () => {
  const data = sample(200_000);

  it('gzip: the gzip tool, and concatenated members', () => {
    expect(decompress(Compression.Gzip, cli('gzip', ['-c'], data)).equals(data)).toBe(true);
    const two = Buffer.concat([gzipSync(data.subarray(0, 1000)), gzipSync(data.subarray(1000))]);
    expect(decompress(Compression.Gzip, two).equals(data)).toBe(true);
  });

  it('snappy: raw blocks (librdkafka) and xerial framing (Java client), any block size', () => {
    expect(decompress(Compression.Snappy, rawSnappy(data)).equals(data)).toBe(true);
    for (const block of [1000, 32 * 1024, 100_000]) {
      const framed = xerial(data, block);
      expect(isXerialSnappy(framed)).toBe(true);
      expect(decompress(Compression.Snappy, framed).equals(data)).toBe(true);
    }
    expect(decompress(Compression.Snappy, xerial(Buffer.alloc(0), 10)).length).toBe(0);
  });

  it('snappy: compress writes one raw block, the format every client reads', () => {
    const out = compress(Compression.Snappy, data);
    expect(isXerialSnappy(out)).toBe(false);
    expect((rawUnsnappy(out) as Buffer).equals(data)).toBe(true);
  });

  it('lz4: the lz4 tool with checksums, content size and each block size', () => {
    for (const flags of [[], ['-BX'], ['--content-size'], ['--no-frame-crc'], ['-B4'], ['-B7', '-BX']]) {
      const framed = cli('lz4', ['-c', '-q', ...flags], data);
      expect(decompress(Compression.Lz4, framed).equals(data), flags.join(' ')).toBe(true);
    }
  });

  it('lz4: compress writes a frame the lz4 tool reads back', () => {
    const out = compress(Compression.Lz4, data);
    expect(out.readUInt32LE(0)).toBe(0x184d2204);
    expect(cli('lz4', ['-d', '-c'], out).equals(data)).toBe(true);
    expect(decompressFrameSync(out).equals(data)).toBe(true);
  });

  it('zstd: frames with and without a content size, and several frames', () => {
    // From a pipe the zstd tool cannot know the size, like zstd-jni's streams in the Java client.
    const streamed = cli('zstd', ['-c', '-q'], data);
    expect(decompress(Compression.Zstd, streamed).equals(data)).toBe(true);
    const sized = zstdCompress(data);
    expect(decompress(Compression.Zstd, sized).equals(data)).toBe(true);
    const two = Buffer.concat([zstdCompress(data.subarray(0, 5000)), zstdCompress(data.subarray(5000))]);
    expect(decompress(Compression.Zstd, two).equals(data)).toBe(true);
    expect(zstdDecompress(compress(Compression.Zstd, data)).equals(data)).toBe(true);
    expect(cli('zstd', ['-d', '-c', '-q'], compress(Compression.Zstd, data)).equals(data)).toBe(true);
  });
});

describe('limits and bad input', () => {
  const zeros = Buffer.alloc(4 << 20);

  for (const codec of CODECS) {
    it(`${NAMES[codec]}: refuses output past the limit before building it, accepts exactly the limit`, () => {
      const packed = compress(codec, zeros);
      // Snappy's best ratio is about 21:1.
      expect(packed.length).toBeLessThan(zeros.length / (codec === Compression.Snappy ? 15 : 50));
      let err: unknown;
      try {
        decompress(codec, packed, 1 << 20);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DecompressionError);
      expect((err as DecompressionError).tooLarge).toBe(true);
      const exact = sample(10_000);
      // lz4 is checked against a bound computed before decompressing, which can overshoot by one block.
      const limit = codec === Compression.Lz4 ? 64 * 1024 : exact.length;
      expect(decompress(codec, compress(codec, exact), limit).equals(exact)).toBe(true);
    });

    it(`${NAMES[codec]}: garbage and truncation raise DecompressionError, never something else`, () => {
      const good = compress(codec, sample(50_000));
      const inputs = [
        randomBytes(100),
        Buffer.alloc(0),
        good.subarray(0, good.length - 7),
        good.subarray(0, 5),
        Buffer.concat([good.subarray(0, 20), randomBytes(200)]),
      ];
      for (const input of inputs) {
        let out: Buffer | undefined;
        try {
          out = decompress(codec, input);
        } catch (e) {
          expect(e).toBeInstanceOf(DecompressionError);
          continue;
        }
        // A codec may legitimately decode an empty or truncated-at-a-boundary input to fewer bytes.
        expect(out.length).toBeLessThan(50_000);
      }
    });
  }

  it('zstd without a content size is bounded while streaming', () => {
    const streamed = cli('zstd', ['-c', '-q'], zeros);
    expect(() => decompress(Compression.Zstd, streamed, 100_000)).toThrow(/over the 100000 limit/);
    expect(decompress(Compression.Zstd, streamed, zeros.length).length).toBe(zeros.length);
  });

  it('snappy checks the length preamble of every xerial block against what is left', () => {
    const framed = xerial(zeros, 1 << 20);
    expect(() => decompress(Compression.Snappy, framed, (3 << 20) + 5)).toThrow(DecompressionError);
    expect(decompress(Compression.Snappy, framed, 4 << 20).length).toBe(4 << 20);
  });

  it('unknown codecs are refused', () => {
    expect(() => decompress(5, Buffer.from('x'))).toThrow(DecompressionError);
    expect(() => compress(7, Buffer.from('x'))).toThrow(RangeError);
  });
});
