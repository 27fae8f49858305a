/**
 * Codec throughput: Metadata request/response (v12, flexible; v1, classic) with a cluster of 3 brokers
 * and 100 topics x 10 partitions x 3 replicas, the shape a console polls.
 */
import { randomBytes } from 'node:crypto';
import {
  readMetadataRequest,
  readMetadataResponse,
  writeMetadataRequest,
  writeMetadataResponse,
  type MetadataResponse,
} from '../broker/protocol/generated/metadata';
import { Reader } from '../broker/protocol/reader';
import { Writer } from '../broker/protocol/writer';
import { measure, type BenchResult } from './harness';

function bigMetadata(): MetadataResponse {
  const brokers = [0, 1, 2].map((id) => ({ nodeId: id, host: '127.0.0.1', port: 9092 + id, rack: null }));
  const topics = Array.from({ length: 100 }, (_, t) => ({
    errorCode: 0,
    name: `orders.events.topic-${t}`,
    topicId: randomBytes(16).toString('base64url'),
    isInternal: false,
    partitions: Array.from({ length: 10 }, (_, p) => ({
      errorCode: 0,
      partitionIndex: p,
      leaderId: p % 3,
      leaderEpoch: 4,
      replicaNodes: [p % 3, (p + 1) % 3, (p + 2) % 3],
      isrNodes: [p % 3, (p + 1) % 3, (p + 2) % 3],
      offlineReplicas: [],
    })),
  }));
  return { throttleTimeMs: 0, brokers, clusterId: 'bench-cluster', controllerId: 0, topics };
}

export function protocolBenchmarks(): BenchResult[] {
  const out: BenchResult[] = [];
  const request = {
    topics: Array.from({ length: 10 }, (_, i) => ({ name: `topic-${i}` })),
    allowAutoTopicCreation: false,
  };
  const response = bigMetadata();
  for (const v of [12, 1]) {
    const reqW = new Writer();
    writeMetadataRequest(reqW, v, request);
    const reqBytes = reqW.toBuffer();
    const resW = new Writer();
    writeMetadataResponse(resW, v, response);
    const resBytes = resW.toBuffer();
    const size = `(${resBytes.length} B)`;
    out.push(
      measure(`metadata v${v} request encode (10 topics)`, () =>
        writeMetadataRequest(new Writer(), v, request),
      ),
    );
    out.push(
      measure(`metadata v${v} request decode (10 topics)`, () =>
        readMetadataRequest(new Reader(reqBytes), v),
      ),
    );
    out.push({
      ...measure(
        `metadata v${v} response encode (1000 partitions)`,
        () => writeMetadataResponse(new Writer(8192), v, response),
        { batch: 5 },
      ),
      extra: size,
    });
    out.push({
      ...measure(
        `metadata v${v} response decode (1000 partitions)`,
        () => readMetadataResponse(new Reader(resBytes), v),
        { batch: 5 },
      ),
      extra: size,
    });
  }
  return out;
}
