/**
 * The wire protocol on a real socket: ApiVersions negotiation (incl. the v0 fallback for unknown versions
 * and KIP-511 name checks), Metadata at every version with the right header versions, Metadata errors,
 * and in-order answers to pipelined requests.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiVersionsResponse } from '../../broker/protocol/generated/api-versions';
import type { MetadataResponse } from '../../broker/protocol/generated/metadata';
import { withBroker, type TestBroker } from '../helpers/broker';
import { API_VERSIONS, METADATA, RawClient, decodeResponse, encodeRequest } from './raw-client';

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const TOPIC = 'protocol-test-topic';
let broker: TestBroker;
let client: RawClient;
let topicId: string;

beforeAll(async () => {
  broker = await withBroker();
  const c = await RawClient.connect(broker.port);
  // Create the topic once; what a creating response says is left to the client compat tests.
  await c.metadata(12, { topics: [{ name: TOPIC }], allowAutoTopicCreation: true });
  const res = await c.metadata(12, { topics: [{ name: TOPIC }], allowAutoTopicCreation: false });
  topicId = res.topics[0].topicId!;
  c.destroy();
});
afterAll(() => broker?.cleanup());
// A connection per test, so a broker that closes one on a bad case does not fail the others.
beforeEach(async () => {
  client = await RawClient.connect(broker.port);
});
afterEach(() => client.destroy());

function expectOurRanges(res: ApiVersionsResponse) {
  const range = (key: number) => res.apiKeys.find((k) => k.apiKey === key);
  expect(range(METADATA)).toMatchObject({ minVersion: 0, maxVersion: 12 });
  expect(range(API_VERSIONS)).toMatchObject({ minVersion: 0, maxVersion: 4 });
  expect(new Set(res.apiKeys.map((k) => k.apiKey)).size).toBe(res.apiKeys.length);
}

describe('ApiVersions', () => {
  it.each([0, 1, 2, 3, 4])('v%i lists our ranges with error 0', async (v) => {
    const res = await client.apiVersions(v);
    expect(res.errorCode).toBe(0);
    expectOurRanges(res);
  });

  it('an unsupported version gets a v0-format UNSUPPORTED_VERSION response with the ranges', async () => {
    // A newer client sends its newest ApiVersions with header v2 and a body we cannot know.
    await client.write(
      encodeRequest(API_VERSIONS, 99, 4242, { clientSoftwareName: 'x', clientSoftwareVersion: '1' }),
    );
    const frames = await client.waitFrames(client.frames.length + 1);
    const { correlationId, body } = decodeResponse<ApiVersionsResponse>(frames.at(-1)!, API_VERSIONS, 0);
    expect(correlationId).toBe(4242);
    expect(body.errorCode).toBe(35);
    // Kafka lists at least ApiVersions' own range here (KIP-511); whatever else is listed must match v3.
    expect(body.apiKeys.find((k) => k.apiKey === API_VERSIONS)).toMatchObject({
      minVersion: 0,
      maxVersion: 4,
    });
    const ranges = (r: ApiVersionsResponse) => r.apiKeys.map((k) => [k.apiKey, k.minVersion, k.maxVersion]);
    const full = ranges(await client.apiVersions(3));
    for (const k of ranges(body)) expect(full).toContainEqual(k);
  });

  it('v3 with an invalid client software name gets INVALID_REQUEST', async () => {
    const res = await client.apiVersions(3, {
      clientSoftwareName: 'bad name!',
      clientSoftwareVersion: '1.0',
    });
    expect(res.errorCode).toBe(42);
    const res2 = await client.apiVersions(4, { clientSoftwareName: 'ok', clientSoftwareVersion: '-1' });
    expect(res2.errorCode).toBe(42);
  });
});

describe('Metadata', () => {
  it.each(Array.from({ length: 13 }, (_, v) => v))('v%i describes the broker and the topic', async (v) => {
    const res = await client.metadata(v, { topics: [{ name: TOPIC }], allowAutoTopicCreation: false });
    expect(res.brokers).toHaveLength(1);
    expect(res.brokers[0]).toMatchObject({ nodeId: broker.nodeId, host: broker.host, port: broker.port });
    if (v >= 1) expect(res.brokers[0].rack).toBeNull();
    if (v >= 1) expect(res.controllerId).toBe(broker.nodeId);
    if (v >= 2) expect(res.clusterId).toBe(broker.clusterId);
    expect(res.topics).toHaveLength(1);
    const t = res.topics[0];
    expect(t).toMatchObject({ errorCode: 0, name: TOPIC });
    if (v >= 1) expect(t.isInternal).toBe(false);
    if (v >= 10) expect(t.topicId).toBe(topicId);
    expect(t.partitions).toHaveLength(1);
    expect(t.partitions[0]).toMatchObject({ errorCode: 0, partitionIndex: 0, leaderId: broker.nodeId });
    expect(t.partitions[0].replicaNodes).toEqual([broker.nodeId]);
    expect(t.partitions[0].isrNodes).toEqual([broker.nodeId]);
    if (v >= 5) expect(t.partitions[0].offlineReplicas).toEqual([]);
    if (v >= 7) expect(t.partitions[0].leaderEpoch).toBeGreaterThanOrEqual(0);
    // Not requested: the schema default INT32_MIN ("omitted"), as Kafka sends.
    if (v >= 8) expect(t.topicAuthorizedOperations).toBe(-2147483648);
    if (v >= 8 && v <= 10) expect(res.clusterAuthorizedOperations).toBe(-2147483648);
  });

  it('all topics: empty list at v0, null at v1+', async () => {
    for (const [v, topics] of [
      [0, []],
      [1, null],
      [9, null],
      [12, null],
    ] as const) {
      const res = await client.metadata(v, { topics: topics === null ? null : [] });
      expect(res.topics.map((t) => t.name)).toContain(TOPIC);
    }
    expect((await client.metadata(1, { topics: [] })).topics).toEqual([]);
  });

  it('topic ids are real uuids (v10+) and v12 looks a topic up by id', async () => {
    expect(topicId).not.toBe(ZERO_UUID);
    const res = await client.metadata(12, { topics: [{ topicId, name: null }] });
    expect(res.topics).toHaveLength(1);
    expect(res.topics[0]).toMatchObject({ errorCode: 0, name: TOPIC, topicId });
  });

  it('v12: an unknown topic id gets UNKNOWN_TOPIC_ID', async () => {
    const unknown = 'AQIDBAUGBwgJCgsMDQ4PEA';
    const res = await client.metadata(12, { topics: [{ topicId: unknown, name: null }] });
    expect(res.topics).toEqual([expect.objectContaining({ errorCode: 100, topicId: unknown, name: null })]);
  });

  // KafkaApis.handleTopicMetadataRequest: "Topic IDs are not supported for versions 10 and 11" -> an
  // InvalidRequestException, answered by MetadataRequest.getErrorResponse: every topic INVALID_REQUEST, name "".
  it.each([10, 11])('v%i: a topic by id (null name) gets INVALID_REQUEST, as in Kafka', async (v) => {
    const res = await client.metadata(v, { topics: [{ topicId: 'AQIDBAUGBwgJCgsMDQ4PEA', name: null }] });
    expect(res.topics).toHaveLength(1);
    expect(res.topics[0]).toMatchObject({ errorCode: 42, name: '', partitions: [] });
  });

  it.each([10, 11])('v%i: a topic id next to a name gets INVALID_REQUEST, as in Kafka', async (v) => {
    const res = await client.metadata(v, { topics: [{ topicId, name: TOPIC }] });
    expect(res.topics).toEqual([expect.objectContaining({ errorCode: 42, name: TOPIC, partitions: [] })]);
  });

  it.each([
    [1, true],
    [4, true],
    [12, false],
  ])('v%i (allowAutoTopicCreation=%s): invalid names get INVALID_TOPIC_EXCEPTION', async (v, allow) => {
    const names = ['bad/topic', '..', 'x'.repeat(250), 'with space'];
    const res = await client.metadata(v, {
      topics: names.map((name) => ({ name })),
      allowAutoTopicCreation: allow,
    });
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual(names.map((n) => [n, 17]));
    const all = await client.metadata(12, { topics: null });
    for (const n of names) expect(all.topics.map((t) => t.name)).not.toContain(n);
  });

  it.each([4, 9, 12])(
    'v%i with allowAutoTopicCreation=false: unknown topic -> UNKNOWN_TOPIC_OR_PARTITION',
    async (v) => {
      const name = `not-created-v${v}`;
      const res = await client.metadata(v, { topics: [{ name }], allowAutoTopicCreation: false });
      expect(res.topics).toEqual([expect.objectContaining({ name, errorCode: 3, partitions: [] })]);
      const all = await client.metadata(12, { topics: null });
      expect(all.topics.map((t) => t.name)).not.toContain(name);
    },
  );
});

describe('pipelining', () => {
  it('20 requests in one write are answered in order', async () => {
    const c = await RawClient.connect(broker.port);
    try {
      const reqs = Array.from({ length: 20 }, (_, i) => {
        const apiKey = i % 2 === 0 ? METADATA : API_VERSIONS;
        const version = apiKey === METADATA ? i % 13 : i % 5;
        const body =
          apiKey === METADATA
            ? { topics: [{ name: TOPIC }], allowAutoTopicCreation: false }
            : { clientSoftwareName: 'pipe', clientSoftwareVersion: '1' };
        return {
          apiKey,
          version,
          correlationId: 1000 + i,
          bytes: encodeRequest(apiKey, version, 1000 + i, body),
        };
      });
      await c.write(Buffer.concat(reqs.map((r) => r.bytes)));
      const frames = await c.waitFrames(20);
      frames.forEach((frame, i) => {
        const { apiKey, version, correlationId } = reqs[i];
        const res = decodeResponse<MetadataResponse & ApiVersionsResponse>(frame, apiKey, version);
        expect(res.correlationId).toBe(correlationId);
        if (apiKey === METADATA) expect(res.body.topics[0].name).toBe(TOPIC);
        else expect(res.body.errorCode).toBe(0);
      });
    } finally {
      c.destroy();
    }
  });
});
