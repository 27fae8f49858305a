/**
 * Validation of the records a client sends in a Produce request, with the error codes Apache Kafka
 * answers (ProduceRequest.validateRecords, UnifiedLog.analyzeAndValidateRecords, LogValidator):
 * - CORRUPT_MESSAGE (2, retriable: the bytes may have been damaged in flight): truncated batch,
 *   batchLength below the 61-byte header, trailing bytes, CRC32C mismatch, magic other than 0-2.
 * - MESSAGE_TOO_LARGE (10): batch size over max.message.bytes (or decompressing past the cap below).
 * - INVALID_RECORD (87, not retriable: resending the same bytes cannot help): magic 0/1 (produce v3+
 *   carries only v2, KIP-724/KIP-896), baseOffset != 0, recordCount <= 0 or lastOffsetDelta !=
 *   recordCount - 1, control batches from clients, a producer id without a sequence, records that do not
 *   parse, inner offsets other than 0..n-1, data that does not decompress, keyless records on compacted
 *   topics (requireKeys).
 * - UNSUPPORTED_COMPRESSION_TYPE (76): codec bits 5-7.
 * Compressed batches are decompressed and walked like uncompressed ones, as LogValidator does.
 */
import { ErrorCode } from '../generated/errors';
import {
  LOG_OVERHEAD,
  LOG_APPEND_TIME,
  MAGIC_OFFSET,
  MAGIC_V2,
  NO_PRODUCER_ID,
  RECORD_BATCH_OVERHEAD,
  RECORDS_OFFSET,
  compressionOf,
  crcMatches,
  isControl,
  isTransactional,
  lastSequenceOf,
  readBatchHeader,
  timestampTypeOf,
  type BatchHeader,
  type TimestampType,
} from './batch';
import { DecompressionError, decompress } from './compression';
import { newScanStats, scanRecords } from './record-scan';

/** Default cap on one batch's decompressed records: generous for real batches, fatal for zip bombs. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

export interface ValidationOptions {
  /** The topic's max.message.bytes: the largest batch (header included) accepted. */
  maxMessageBytes: number;
  /** cleanup.policy=compact: every record needs a key. */
  requireKeys?: boolean;
  /** Kafka answers INVALID_RECORD when a produce (v3+) holds more than one batch per partition. */
  requireSingleBatch?: boolean;
  maxUncompressedBytes?: number;
}

export interface ValidatedBatch {
  pos: number;
  size: number;
  header: BatchHeader;
  /** Largest record timestamp found in the batch (the header's maxTimestamp is the client's word). */
  maxTimestamp: bigint;
}

export interface ValidationOk {
  ok: true;
  batches: ValidatedBatch[];
  totalRecords: number;
  firstTimestamp: bigint;
  minTimestamp: bigint;
  maxTimestamp: bigint;
  /** Position of the max-timestamp record among all records sent (add the assigned base offset). */
  maxTimestampIndex: number;
  compression: number;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  lastSequence: number;
}

export interface ValidationError {
  ok: false;
  errorCode: number;
  message: string;
  /** Index of the offending record within its batch when the error is about one record. */
  recordIndex?: number;
  /** Every offending record when there are several (keyless records on a compacted topic). */
  recordIndexes?: number[];
}

export type ValidationResult = ValidationOk | ValidationError;

function fail(errorCode: number, message: string, recordIndex?: number): ValidationError {
  return recordIndex === undefined || recordIndex < 0
    ? { ok: false, errorCode, message }
    : { ok: false, errorCode, message, recordIndex };
}

/** Checks one partition's records blob; on success nothing has been modified. */
export function validateProduceRecords(records: Buffer, opts: ValidationOptions): ValidationResult {
  if (records.length === 0)
    return fail(ErrorCode.INVALID_RECORD, 'Produce requests must have at least one record batch');
  const limit = opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  const stats = newScanStats();
  const batches: ValidatedBatch[] = [];
  let totalRecords = 0;
  let firstTimestamp = 0n;
  let minTimestamp = 0n;
  let maxTimestamp = -1n;
  let maxTimestampIndex = -1;
  let pos = 0;
  while (pos < records.length) {
    const left = records.length - pos;
    if (batches.length === 1 && opts.requireSingleBatch)
      return fail(
        ErrorCode.INVALID_RECORD,
        'Produce requests are only allowed to contain exactly one record batch',
      );
    if (left <= MAGIC_OFFSET)
      return fail(ErrorCode.CORRUPT_MESSAGE, `${left} bytes at ${pos} are too few for a record batch`);
    const magic = records.readInt8(pos + MAGIC_OFFSET);
    if (magic !== MAGIC_V2) {
      return magic === 0 || magic === 1
        ? fail(
            ErrorCode.INVALID_RECORD,
            `Produce requests may only carry record batches with magic 2, not ${magic}`,
          )
        : fail(ErrorCode.CORRUPT_MESSAGE, `Invalid magic ${magic} in record batch`);
    }
    const size = records.readInt32BE(pos + 8) + LOG_OVERHEAD;
    if (size < RECORD_BATCH_OVERHEAD)
      return fail(ErrorCode.CORRUPT_MESSAGE, `Record batch size ${size} is below the 61-byte batch header`);
    if (size > left)
      return fail(ErrorCode.CORRUPT_MESSAGE, `Truncated record batch: ${size} bytes declared, ${left} sent`);
    const h = readBatchHeader(records, pos);
    if (h.baseOffset !== 0n)
      return fail(
        ErrorCode.INVALID_RECORD,
        `The baseOffset of the record batch should be 0, but it is ${h.baseOffset}`,
      );
    if (size > opts.maxMessageBytes) {
      return fail(
        ErrorCode.MESSAGE_TOO_LARGE,
        `The record batch size is ${size} bytes, over max.message.bytes ${opts.maxMessageBytes}`,
      );
    }
    if (!crcMatches(records, pos))
      return fail(ErrorCode.CORRUPT_MESSAGE, 'Record batch is corrupt (CRC32C mismatch)');
    const codec = compressionOf(h.attributes);
    if (codec > 4) return fail(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `Unknown compression codec ${codec}`);
    const invalid = batchRuleError(h);
    if (invalid) return fail(ErrorCode.INVALID_RECORD, invalid);

    let data = records;
    let start = pos + RECORDS_OFFSET;
    let end = pos + size;
    if (codec !== 0) {
      try {
        data = decompress(codec, records.subarray(start, end), limit);
      } catch (e) {
        if (!(e instanceof DecompressionError)) throw e;
        return fail(e.tooLarge ? ErrorCode.MESSAGE_TOO_LARGE : ErrorCode.INVALID_RECORD, e.message);
      }
      start = 0;
      end = data.length;
    }
    const err = scanRecords(data, start, end, h.recordCount, opts.requireKeys === true, stats);
    if (err) {
      const f = fail(ErrorCode.INVALID_RECORD, err, stats.errorIndex);
      return stats.keyless.length > 1 ? { ...f, recordIndexes: [...stats.keyless] } : f;
    }

    // KIP-32: in a LogAppendTime batch every record's timestamp is the batch maxTimestamp.
    const appendTime = timestampTypeOf(h.attributes) === LOG_APPEND_TIME;
    const batchMin = appendTime ? h.maxTimestamp : h.baseTimestamp + BigInt(stats.minTimestampDelta);
    const batchMax = appendTime ? h.maxTimestamp : h.baseTimestamp + BigInt(stats.maxTimestampDelta);
    if (batches.length === 0) {
      firstTimestamp = appendTime ? h.maxTimestamp : h.baseTimestamp + BigInt(stats.firstTimestampDelta);
      minTimestamp = batchMin;
    } else if (batchMin < minTimestamp) minTimestamp = batchMin;
    if (batchMax > maxTimestamp) {
      maxTimestamp = batchMax;
      maxTimestampIndex = totalRecords + (appendTime ? 0 : stats.maxTimestampIndex);
    }
    batches.push({ pos, size, header: h, maxTimestamp: batchMax });
    totalRecords += h.recordCount;
    pos += size;
  }
  const first = batches[0].header;
  const last = batches[batches.length - 1].header;
  return {
    ok: true,
    batches,
    totalRecords,
    firstTimestamp,
    minTimestamp,
    maxTimestamp,
    maxTimestampIndex,
    compression: compressionOf(first.attributes),
    timestampType: timestampTypeOf(first.attributes),
    isTransactional: isTransactional(first.attributes),
    isControl: isControl(first.attributes),
    producerId: first.producerId,
    producerEpoch: first.producerEpoch,
    baseSequence: first.baseSequence,
    lastSequence: lastSequenceOf(last.baseSequence, last.lastOffsetDelta),
  };
}

/** LogValidator.validateBatch for AppendOrigin.CLIENT. */
function batchRuleError(h: BatchHeader): string | null {
  if (h.recordCount <= 0) return `Invalid reported count for record batch: ${h.recordCount}`;
  if (h.lastOffsetDelta + 1 !== h.recordCount)
    return `Inconsistent batch offset range [0, ${h.lastOffsetDelta}] and count of records ${h.recordCount}`;
  if (isControl(h.attributes)) return 'Clients are not allowed to write control records';
  if (h.producerId > NO_PRODUCER_ID && h.baseSequence < 0)
    return `Invalid sequence number ${h.baseSequence} in record batch with producerId ${h.producerId}`;
  return null;
}
