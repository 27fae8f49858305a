/**
 * Record batches v2: header layout and in-place patchers, CRC32C, codecs, produce validation, and
 * decoding/encoding for the paths where records may be materialised. See DESIGN.md "Record batches
 * stay bytes".
 */
export * from './batch';
export { compress, decompress, DecompressionError, isXerialSnappy } from './compression';
export * from './control';
export {
  decodeBatches,
  decodeRecords,
  encodeBatch,
  type DecodedRecord,
  type EncodeBatchOptions,
  type RecordHeader,
  type RecordInput,
} from './records';
export * from './validate';
