/**
 * kafkajs ships gzip only; snappy, lz4 and zstd come from plugins that assign a codec factory to
 * `CompressionCodecs[type]` (kafkajs/src/protocol/message/compression: a factory returning
 * `{ compress(encoder) -> Promise<Buffer>, decompress(buffer) -> Promise<Buffer> }`, where
 * `encoder.buffer` holds the uncompressed records). These delegate to the broker's own codecs, which
 * write what librdkafka and the Java client write (raw snappy, LZ4 frames, zstd frames) and read
 * every framing those clients produce.
 */
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { compress, decompress } from '../protocol/records/compression';

interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const PLUGGED = [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD] as const;

/** Registers snappy, lz4 and zstd with kafkajs (process-wide, like the real plugins); idempotent. */
export function registerKafkajsCodecs(): void {
  const codecs = CompressionCodecs as Record<number, () => KafkajsCodec>;
  for (const type of PLUGGED) {
    codecs[type] = () => ({
      compress: async (encoder) => compress(type, encoder.buffer),
      decompress: async (buffer) => decompress(type, buffer),
    });
  }
}
