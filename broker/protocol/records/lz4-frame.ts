/**
 * Walks the block headers of LZ4 frames (lz4 Frame Format spec 1.6) to bound the decompressed size
 * before decompressing, whatever the optional content size claims: a stored block is its own size; a
 * compressed block yields at most the frame's block maximum (64 KB from both the Java client's
 * KafkaLZ4BlockOutputStream and librdkafka) and at most ~255 bytes per input byte (a match-length
 * extension byte adds 255). The bound overshoots the real size by less than one block.
 */
const LZ4_MAGIC = 0x184d2204;
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };

/** compression.ts turns these into DecompressionError. */
function bad(why: string): Error {
  return new Error(why);
}

/** Upper bound of the bytes the frames in `data` decompress to; throws if the framing is malformed. */
export function lz4FrameBound(data: Buffer): number {
  let pos = 0;
  let bound = 0;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw bad('truncated magic');
    const magic = data.readUInt32LE(pos);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // Skippable frame: a length and opaque bytes.
      if (pos + 8 > data.length) throw bad('truncated skippable frame');
      pos += 8 + data.readUInt32LE(pos + 4);
      continue;
    }
    if (magic !== LZ4_MAGIC) throw bad(`bad frame magic 0x${magic.toString(16)}`);
    if (pos + 7 > data.length) throw bad('truncated frame descriptor');
    const flg = data[pos + 4];
    const bd = data[pos + 5];
    if (flg >> 6 !== 1) throw bad(`unsupported frame version ${flg >> 6}`);
    const blockMax = BLOCK_MAX_SIZES[(bd >> 4) & 7];
    if (blockMax === undefined) throw bad(`bad block maximum size ${(bd >> 4) & 7}`);
    const blockChecksum = (flg & 0x10) !== 0;
    const contentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const dictId = (flg & 0x01) !== 0;
    pos += 6 + (contentSize ? 8 : 0) + (dictId ? 4 : 0) + 1;
    for (;;) {
      if (pos + 4 > data.length) throw bad('truncated block header');
      const word = data.readUInt32LE(pos);
      pos += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (size > blockMax) throw bad(`block of ${size} bytes over the ${blockMax} maximum`);
      const stored = (word & 0x80000000) !== 0;
      bound += stored ? size : Math.min(blockMax, size * 255 + 64);
      pos += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) pos += 4;
    if (pos > data.length) throw bad('truncated frame');
  }
  return bound;
}
