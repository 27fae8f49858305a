/**
 * Produce requests Kafka rejects, on the raw wire (generated codecs + encodeBatch), with the error code
 * Kafka 4 answers (KafkaApis.handleProduceRequest, ProduceRequest.validateRecords,
 * UnifiedLog.analyzeAndValidateRecords, LogValidator, ReplicaManager.appendRecords) - and after every
 * rejected request the data produced before is still there byte for byte and no log end offset moved.
 */
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateTopicsResponse } from '../../broker/protocol/generated/create-topics';
import { ErrorCode } from '../../broker/protocol/generated/errors';
import type { PartitionProduceResponse, ProduceResponse } from '../../broker/protocol/generated/produce';
import { Compression, encodeBatch, type RecordInput } from '../../broker/protocol/records';
import { ZERO_UUID } from '../../broker/protocol/reader';
import { canonical, createTopic, listOffsets, rawFetchAll } from '../compat/data-common';
import { withBroker, type TestBroker } from '../helpers/broker';
import { RawClient, encodeRequest } from './raw-client';

const PRODUCE = 0;
const CREATE_TOPICS = 19;
const TS = 1_700_000_000_000n;

/** Topics and partition counts, each with data produced before the bad requests. */
const TOPICS: Record<string, number> = { intact: 2, small: 1, compacted: 1 };

let broker: TestBroker;
let raw: RawClient;
let baseline: Map<string, string[]>;
let nextValue = 0;

const rec = (key: string | null, value = `v${nextValue++}`): RecordInput => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
  headers: [{ key: 'h', value: Buffer.from('x') }],
  timestamp: BigInt(Date.now()),
});

interface PartitionData {
  index: number;
  records: Buffer | null;
}

function produceBody(acks: number, topics: Record<string, PartitionData[]>) {
  return {
    transactionalId: null,
    acks,
    timeoutMs: 5_000,
    topicData: Object.entries(topics).map(([name, partitionData]) => ({ name, partitionData })),
  };
}

/** One Produce request; returns the partition responses of every topic, in request order. */
async function produce(
  topics: Record<string, PartitionData[]>,
  opts: { acks?: number; version?: number } = {},
): Promise<PartitionProduceResponse[]> {
  const res = await raw.request<ProduceResponse>(
    PRODUCE,
    opts.version ?? 9,
    produceBody(opts.acks ?? -1, topics),
  );
  expect(res.responses.map((t) => t.name)).toEqual(Object.keys(topics));
  return res.responses.flatMap((t) => t.partitionResponses);
}

const one = async (
  topic: string,
  partition: number,
  records: Buffer | null,
  opts: { acks?: number; version?: number } = {},
) => (await produce({ [topic]: [{ index: partition, records }] }, opts))[0];

/** Every record of every fixture topic plus each partition's start and end offsets. */
async function snapshot(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [topic, n] of Object.entries(TOPICS)) {
    const { records } = await rawFetchAll(broker, topic, n);
    const start = await listOffsets(broker, topic, n, -2n);
    const end = await listOffsets(broker, topic, n, -1n);
    out.set(topic, [
      `start ${start.join(',')}`,
      `end ${end.join(',')}`,
      ...records.map((r) => `${r.partition}@${r.offset} ${r.timestamp} ${canonical(r)}`),
    ]);
  }
  return out;
}

async function expectUntouched(): Promise<void> {
  expect(await snapshot()).toEqual(baseline);
}

beforeAll(async () => {
  broker = await withBroker();
  await createTopic(broker, 'intact', TOPICS.intact);
  await createTopic(broker, 'small', TOPICS.small, { 'max.message.bytes': '1000' });
  await createTopic(broker, 'compacted', TOPICS.compacted, { 'cleanup.policy': 'compact' });
  raw = await RawClient.connect(broker.port);
  for (let i = 0; i < 2; i++) {
    const r = await produce({
      intact: [
        { index: 0, records: encodeBatch({ records: [rec('a'), rec('b'), rec(null)] }) },
        { index: 1, records: encodeBatch({ records: [rec('c')], compression: Compression.Gzip }) },
      ],
      small: [{ index: 0, records: encodeBatch({ records: [rec('s')] }) }],
      compacted: [{ index: 0, records: encodeBatch({ records: [rec('k1'), rec('k2')] }) }],
    });
    expect(r.map((p) => p.errorCode)).toEqual([0, 0, 0, 0]);
  }
  baseline = await snapshot();
  expect(baseline.get('intact')!.slice(0, 2)).toEqual(['start 0,0', 'end 6,2']);
});
afterAll(async () => {
  raw?.destroy();
  await broker?.cleanup();
});

describe('record validation', () => {
  it.each([3, 7, 9, 11])('v%i: a CRC32C mismatch is CORRUPT_MESSAGE (2)', async (version) => {
    const batch = encodeBatch({ records: [rec('x'), rec('y')] });
    batch[batch.length - 1] ^= 0xff; // a record byte: covered by the CRC
    const r = await one('intact', 0, batch, { version });
    expect([r.errorCode, r.baseOffset]).toEqual([ErrorCode.CORRUPT_MESSAGE, -1n]);
    const crcOnly = encodeBatch({ records: [rec('x')] });
    crcOnly[17] ^= 0x01; // the stored CRC itself
    expect((await one('intact', 1, crcOnly, { version })).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    await expectUntouched();
  });

  it('a batch truncated inside the request is CORRUPT_MESSAGE (2)', async () => {
    const batch = encodeBatch({ records: [rec('x'), rec('y')] });
    expect((await one('intact', 0, batch.subarray(0, batch.length - 5))).errorCode).toBe(
      ErrorCode.CORRUPT_MESSAGE,
    );
    await expectUntouched();
  });

  it.each([0, 1] as const)(
    'a magic v%i message set is INVALID_RECORD (87): Produce v3+ carries magic 2 only',
    async (magic) => {
      const r = await one('intact', 0, legacyMessage(magic, 'k', 'v'));
      expect(r.errorCode).toBe(ErrorCode.INVALID_RECORD);
      await expectUntouched();
    },
  );

  it('two batches for one partition are INVALID_RECORD (87)', async () => {
    const two = Buffer.concat([encodeBatch({ records: [rec('x')] }), encodeBatch({ records: [rec('y')] })]);
    expect((await one('intact', 0, two)).errorCode).toBe(ErrorCode.INVALID_RECORD);
    await expectUntouched();
  });

  it('a compacted topic rejects a record without a key: INVALID_RECORD (87) naming the record', async () => {
    const r = await one('compacted', 0, encodeBatch({ records: [rec('k3'), rec(null), rec('k4')] }));
    expect(r.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(r.recordErrors?.map((e) => e.batchIndex)).toEqual([1]);
    expect(r.errorMessage ?? r.recordErrors?.[0].batchIndexErrorMessage).toMatch(/key/i);
    await expectUntouched();
  });

  it('a compacted topic lists every keyless record of the batch (LogValidator collects all record errors)', async () => {
    const r = await one('compacted', 0, encodeBatch({ records: [rec(null), rec('k5'), rec(null)] }));
    expect(r.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(r.recordErrors?.map((e) => e.batchIndex)).toEqual([0, 2]);
    await expectUntouched();
  });
});

describe('max.message.bytes=1000', () => {
  it('a 1001-byte batch is MESSAGE_TOO_LARGE (10); a 1000-byte one is accepted', async () => {
    const tooBig = sizedBatch(1001, 'too-big');
    expect(tooBig.length).toBe(1001);
    const r = await one('small', 0, tooBig);
    expect([r.errorCode, r.baseOffset]).toEqual([ErrorCode.MESSAGE_TOO_LARGE, -1n]);
    await expectUntouched();

    const fits = sizedBatch(1000, 'fits');
    expect((await one('small', 0, fits)).errorCode).toBe(0);
    baseline = await snapshot();
    expect(baseline.get('small')!.slice(0, 2)).toEqual(['start 0', 'end 3']);
  });

  it('the limit applies to the compressed batch, as Kafka checks batch.sizeInBytes', async () => {
    const batch = encodeBatch({ records: [rec('z', 'a'.repeat(20_000))], compression: Compression.Gzip });
    expect(batch.length).toBeLessThan(1000);
    expect((await one('small', 0, batch)).errorCode).toBe(0);
    baseline = await snapshot();
  });
});

describe('topics and partitions', () => {
  it('partition 99 of an existing topic is UNKNOWN_TOPIC_OR_PARTITION (3)', async () => {
    const r = await one('intact', 99, encodeBatch({ records: [rec('x')] }));
    expect([r.index, r.errorCode, r.baseOffset]).toEqual([99, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n]);
    await expectUntouched();
  });

  it.each(['no-such-topic', 'bad name!', '..', 'x'.repeat(300), ''])(
    'unknown topic %j is UNKNOWN_TOPIC_OR_PARTITION (3) and is not created',
    async (name) => {
      const r = await one(name, 0, encodeBatch({ records: [rec('x')] }));
      expect(r.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      const md = await raw.metadata(12, {
        topics: [{ name, topicId: ZERO_UUID }],
        allowAutoTopicCreation: false,
      });
      expect(md.topics[0].errorCode).not.toBe(0);
      await expectUntouched();
    },
  );

  it('errors are per partition: the good partition of the same request is appended', async () => {
    const bad = encodeBatch({ records: [rec('x')] });
    bad[bad.length - 1] ^= 0xff;
    const r = await produce({
      intact: [
        { index: 0, records: bad },
        { index: 1, records: encodeBatch({ records: [rec('ok')] }) },
      ],
    });
    expect(r.map((p) => [p.index, p.errorCode, p.baseOffset])).toEqual([
      [0, ErrorCode.CORRUPT_MESSAGE, -1n],
      [1, 0, 2n],
    ]);
    const before = baseline.get('intact')!;
    baseline = await snapshot();
    const after = baseline.get('intact')!;
    expect(after.slice(0, 2)).toEqual(['start 0,0', 'end 6,3']);
    expect(after.slice(2, -1)).toEqual(before.slice(2));
  });
});

describe('acks', () => {
  it('acks=2 is INVALID_REQUIRED_ACKS (21) for existing partitions; unknown ones still say 3', async () => {
    const r = await produce(
      {
        intact: [
          { index: 0, records: encodeBatch({ records: [rec('x')] }) },
          { index: 99, records: encodeBatch({ records: [rec('y')] }) },
        ],
      },
      { acks: 2 },
    );
    expect(r.map((p) => [p.index, p.errorCode, p.baseOffset])).toEqual([
      [0, ErrorCode.INVALID_REQUIRED_ACKS, -1n],
      [99, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n],
    ]);
    for (const acks of [-2, 3, 100])
      expect((await one('intact', 0, encodeBatch({ records: [rec('x')] }), { acks })).errorCode).toBe(21);
    await expectUntouched();
  });

  it('acks=0 sends no response: the next request on the connection is the next answer; data is stored', async () => {
    const c = await RawClient.connect(broker.port);
    try {
      await c.write(
        encodeRequest(
          PRODUCE,
          9,
          41,
          produceBody(0, { intact: [{ index: 0, records: encodeBatch({ records: [rec('acks0')] }) }] }),
        ),
      );
      const res = await c.apiVersions(3);
      expect(res.errorCode).toBe(0);
      expect(c.frames).toHaveLength(1);
      expect(c.frames[0].readInt32BE(0)).toBe(1); // RawClient's first correlation id, not 41
    } finally {
      c.destroy();
    }
    baseline = await snapshot();
    expect(baseline.get('intact')![1]).toBe('end 7,3');
  });

  it('acks=0 with a rejected partition closes the connection and stores nothing (KafkaApis: closeConnection)', async () => {
    const c = await RawClient.connect(broker.port);
    try {
      const bad = encodeBatch({ records: [rec('x')] });
      bad[bad.length - 1] ^= 0xff;
      await c.write(encodeRequest(PRODUCE, 9, 42, produceBody(0, { intact: [{ index: 0, records: bad }] })));
      await c.waitClosed(5_000);
      expect(c.frames).toHaveLength(0);
    } finally {
      c.destroy();
    }
    await expectUntouched();
  });
});

describe('CreateTopics with an invalid config value', () => {
  it.each([
    ['max.message.bytes', 'abc'],
    ['max.message.bytes', '-1'],
    ['cleanup.policy', 'forever'],
    ['min.insync.replicas', '0'],
    ['no.such.config', '1'],
  ])('%s=%s is INVALID_CONFIG (40) and creates nothing', async (name, value) => {
    const topic = `bad-config-${name}-${value}`.replace(/[^a-zA-Z0-9._-]/g, '_');
    const res = await raw.request<CreateTopicsResponse>(CREATE_TOPICS, 7, {
      topics: [
        { name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name, value }] },
      ],
      timeoutMs: 5_000,
      validateOnly: false,
    });
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([[topic, ErrorCode.INVALID_CONFIG]]);
    const r = await one(topic, 0, encodeBatch({ records: [rec('x')] }));
    expect(r.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    await expectUntouched();
  });
});

/** A v2 batch of exactly `size` bytes (one record whose value is padded to fit). */
function sizedBatch(size: number, tag: string): Buffer {
  for (let pad = size; pad >= 0; pad--) {
    const b = encodeBatch({
      records: [
        { key: Buffer.from(tag), value: Buffer.from('p'.repeat(pad)), timestamp: BigInt(Date.now()) },
      ],
    });
    if (b.length === size) return b;
  }
  throw new Error(`no single-record batch of ${size} bytes`);
}

/**
 * A legacy message set of one message (Kafka docs 5.3.3 "Old Message Format"): offset, size, then
 * crc (CRC-32 of what follows), magic, attributes, [timestamp (v1)], key, value.
 */
function legacyMessage(magic: 0 | 1, key: string, value: string): Buffer {
  const k = Buffer.from(key);
  const v = Buffer.from(value);
  const body = Buffer.alloc(2 + (magic === 1 ? 8 : 0) + 4 + k.length + 4 + v.length);
  let o = body.writeInt8(magic, 0);
  o = body.writeInt8(0, o);
  if (magic === 1) o = body.writeBigInt64BE(TS, o);
  o = body.writeInt32BE(k.length, o);
  o += k.copy(body, o);
  o = body.writeInt32BE(v.length, o);
  v.copy(body, o);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(0n, 0);
  head.writeInt32BE(4 + body.length, 8);
  head.writeUInt32BE(crc32(body) >>> 0, 12);
  return Buffer.concat([head, body]);
}
