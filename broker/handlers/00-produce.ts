/**
 * Produce (key 0), v3-v11 (Kafka 4 dropped v0-v2 and the old message formats, KIP-896; ApiVersions still
 * lists v0, as Kafka 4 does, because librdkafka < 2.10 stops compressing otherwise: KAFKA-18659). Per partition:
 * the batches are validated (sizes, CRC32C, record framing, timestamps) and appended as they are, with
 * offsets patched in; errors are per partition and nothing of a rejected partition is written.
 * acks=0 sends no response, and closes the connection when a partition failed (the client learns of
 * the error only by the disconnect); acks=1 answers after the local append; acks=-1 also requires the
 * ISR to hold min.insync.replicas (NOT_ENOUGH_REPLICAS before any append); other acks values are
 * INVALID_REQUIRED_ACKS for every partition that exists (KafkaApis.handleProduceRequest answers unknown
 * partitions before ReplicaManager checks acks). Clients may not write to internal topics. v8+ carries
 * a per-batch error message (KIP-467).
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { PartitionProduceResponse, ProduceResponse } from '../protocol/generated/produce';
import { Compression, CREATE_TIME, setMaxTimestamp, validateProduceRecords } from '../protocol/records';
import type { BrokerContext } from '../node-context';
import { defineHandler } from './types';

const VALID_ACKS = [0, 1, -1];

/**
 * Thrown to close the connection (network/ closes on a handler error): KafkaApis.handleProduceRequest
 * closes an acks=0 producer's connection when any partition failed, since no response can tell it.
 */
class AcksZeroProduceError extends Error {
  override name = 'AcksZeroProduceError';
  constructor(failed: string[]) {
    super(`Closing connection due to error during produce request with ack=0: ${failed.join(', ')}`);
  }
}

function fail(
  index: number,
  errorCode: number,
  errorMessage: string | null = null,
  recordIndexes: readonly number[] = [],
): PartitionProduceResponse {
  const recordErrors = recordIndexes.map((batchIndex) => ({
    batchIndex,
    batchIndexErrorMessage: errorMessage,
  }));
  return {
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    errorMessage,
    recordErrors,
  };
}

/** message.timestamp.before.max.ms / after.max.ms (KIP-937) for CreateTime topics. */
function timestampError(minTs: bigint, maxTs: bigint, before: number, after: number): string | null {
  const now = BigInt(Date.now());
  if (minTs >= 0n && now - minTs > BigInt(before))
    return `Timestamp ${minTs} of message is out of range: too old`;
  if (maxTs >= 0n && maxTs - now > BigInt(after))
    return `Timestamp ${maxTs} of message is out of range: too far ahead`;
  return null;
}

function producePartition(
  broker: BrokerContext,
  version: number,
  topicName: string,
  index: number,
  records: Buffer | null,
  acks: number,
): PartitionProduceResponse {
  const { replicas, metadata } = broker;
  const found = replicas.lookup(topicName, index);
  if (!found.ok) return fail(index, found.errorCode);
  if (!VALID_ACKS.includes(acks)) return fail(index, ErrorCode.INVALID_REQUIRED_ACKS);
  if (metadata.isInternal(topicName))
    return fail(index, ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${topicName}`);
  if (!records || records.length === 0)
    return fail(index, ErrorCode.INVALID_RECORD, 'Produce request with no record batch');
  const config = found.log.config;
  const v = validateProduceRecords(records, {
    maxMessageBytes: config.maxMessageBytes,
    requireSingleBatch: true,
    requireKeys: config.cleanupPolicy.includes('compact'),
  });
  if (!v.ok)
    return fail(
      index,
      v.errorCode,
      v.message,
      v.recordIndexes ?? (v.recordIndex === undefined ? [] : [v.recordIndex]),
    );
  if (v.compression === Compression.Zstd && version < 7)
    return fail(index, ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, 'zstd needs Produce v7 or later (KIP-110)');
  if (config.messageTimestampType === 'CreateTime') {
    const err = timestampError(
      v.minTimestamp,
      v.maxTimestamp,
      config.messageTimestampBeforeMaxMs,
      config.messageTimestampAfterMaxMs,
    );
    if (err) return fail(index, ErrorCode.INVALID_TIMESTAMP, err);
    // The header's maxTimestamp is the client's claim; the log indexes what the records say.
    for (const b of v.batches)
      if (b.header.maxTimestamp !== b.maxTimestamp)
        setMaxTimestamp(records, b.pos, CREATE_TIME, b.maxTimestamp);
  }
  if (acks === -1 && found.state.isr.length < config.minInsyncReplicas) {
    return fail(
      index,
      ErrorCode.NOT_ENOUGH_REPLICAS,
      `The size of the current ISR ${found.state.isr.length} is insufficient to satisfy the min.isr requirement of ${config.minInsyncReplicas}`,
    );
  }
  const result = replicas.appendAsLeader(found, records, v.batches);
  if (result.kind === 'error') return fail(index, result.errorCode, result.message);
  return {
    index,
    errorCode: ErrorCode.NONE,
    baseOffset: result.baseOffset,
    logAppendTimeMs: result.logAppendTime,
    logStartOffset: found.log.logStartOffset,
    recordErrors: [],
    errorMessage: null,
  };
}

export default defineHandler({
  apiKey: 0,
  minVersion: 3,
  maxVersion: 11,
  advertisedMinVersion: 0,
  handle(req, ctx): ProduceResponse | null {
    const { broker } = ctx;
    const responses = req.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) =>
        producePartition(broker, ctx.apiVersion, t.name, p.index, p.records, req.acks),
      ),
    }));
    if (req.acks !== 0) return { responses, throttleTimeMs: 0 };
    const failed = responses.flatMap((t) =>
      t.partitionResponses
        .filter((p) => p.errorCode !== ErrorCode.NONE)
        .map((p) => `${t.name}-${p.index}: ${p.errorCode}`),
    );
    if (failed.length > 0) throw new AcksZeroProduceError(failed);
    return null;
  },
});
