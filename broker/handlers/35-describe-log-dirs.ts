/**
 * DescribeLogDirs (key 35), v0-v4, as Kafka's ReplicaManager.describeLogDirs answers it: every log dir of
 * this node with its absolute path and the partitions it holds, each with its size in bytes on disk
 * (segments and indexes), offset lag 0 (no future replicas here) and isFutureKey false. topics null means
 * every partition; otherwise only the listed partitions, and topics left with none are omitted. v4 adds
 * the volume's total and usable bytes (KIP-827); v3 adds the top-level error code.
 */
import { resolve } from 'node:path';
import type { DescribeLogDirsResponse, DescribeLogDirsTopic } from '../protocol/generated/describe-log-dirs';
import { ErrorCode } from '../protocol/generated/errors';
import type { LogDirPartition } from '../log/types';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 35,
  minVersion: 0,
  maxVersion: 4,
  handle(req, ctx): DescribeLogDirsResponse {
    const wanted =
      req.topics === null
        ? null
        : new Set(req.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}\0${p}`)));
    const keep = (p: LogDirPartition) => wanted === null || wanted.has(`${p.topic}\0${p.partition}`);
    const results = ctx.broker.logs.describeDirs().map((d) => {
      const byTopic = new Map<string, DescribeLogDirsTopic>();
      for (const p of d.partitions.filter(keep)) {
        let t = byTopic.get(p.topic);
        if (!t) byTopic.set(p.topic, (t = { name: p.topic, partitions: [] }));
        t.partitions.push({
          partitionIndex: p.partition,
          partitionSize: BigInt(p.sizeBytes),
          offsetLag: 0n,
          isFutureKey: false,
        });
      }
      return {
        errorCode: ErrorCode.NONE,
        logDir: resolve(d.dir),
        topics: [...byTopic.values()],
        totalBytes: BigInt(d.totalBytes),
        usableBytes: BigInt(d.usableBytes),
      };
    });
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, results };
  },
});
