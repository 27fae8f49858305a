import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiEnv, type ApiEnv, type ErrorResponse } from './harness';

interface Message {
  partition: number;
  offset: string;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: { key: string; value: string | null; valueBase64: string | null }[];
  keyBase64: string | null;
  valueBase64: string | null;
}
interface Browse {
  messages: Message[];
  partitions: { partition: number; low: string; high: string }[];
}
interface Produced {
  results: { partition: number; offset: string }[];
}

const TOPIC = 'api-messages';
const BROWSE_PREFIX = 'kafka-console-browse-';

// Producing and browsing records over /api/v1, with no consumer group left behind.
describe('REST API: messages', () => {
  let env: ApiEnv;
  let midTime = 0;

  beforeAll(async () => {
    env = await startApiEnv();
    const created = await env.api('POST', '/api/v1/topics', { name: TOPIC, partitions: 3 });
    expect(created.status).toBe(201);
  }, 600_000);

  afterAll(async () => {
    await env?.stop();
  }, 60_000);

  const browse = (query: string) => env.api<Browse>('GET', `/api/v1/topics/${TOPIC}/messages?${query}`);

  it('produces keyed records with headers; each copy gets its own offset', async () => {
    const res = await env.api<Produced>('POST', `/api/v1/topics/${TOPIC}/messages`, {
      partition: 1,
      key: 'order-1',
      value: '{"total": 42}',
      headers: { source: 'api-test', trace: 'abc' },
      count: 10,
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ partition: 1, offset: String(i) })),
    );
    await new Promise((r) => setTimeout(r, 20));
    midTime = Date.now();
    await new Promise((r) => setTimeout(r, 20));
  });

  it('spreads unkeyed records and keeps a key on one partition', async () => {
    const unkeyed = await env.api<Produced>('POST', `/api/v1/topics/${TOPIC}/messages`, {
      value: 'tick',
      count: 6,
    });
    expect(unkeyed.status).toBe(200);
    expect(new Set(unkeyed.body.results.map((r) => r.partition)).size).toBe(3);
    const keyed = await env.api<Produced>('POST', `/api/v1/topics/${TOPIC}/messages`, {
      key: 'same',
      value: 'v',
      count: 4,
    });
    expect(new Set(keyed.body.results.map((r) => r.partition)).size).toBe(1);
    const offsets = keyed.body.results.map((r) => Number(r.offset));
    expect(offsets).toEqual(offsets.map((_, i) => offsets[0] + i));
    const tombstone = await env.api<Produced>('POST', `/api/v1/topics/${TOPIC}/messages`, {
      partition: 2,
      key: 'gone',
      value: null,
    });
    expect(tombstone.status).toBe(200);
  });

  it('browses the newest records across partitions', async () => {
    const res = await browse('limit=5');
    expect(res.status).toBe(200);
    expect(res.body.messages).toHaveLength(5);
    expect(res.body.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    const total = res.body.partitions.reduce((s, p) => s + Number(p.high) - Number(p.low), 0);
    expect(total).toBe(21);
    // The tombstone was the last record produced.
    const last = res.body.messages[res.body.messages.length - 1];
    expect(last).toMatchObject({ partition: 2, key: 'gone', value: null, valueBase64: null });
    const times = res.body.messages.map((m) => m.timestamp);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('browses the oldest records of one partition, decoded, with headers and base64', async () => {
    const res = await browse('partition=1&position=oldest&limit=3');
    expect(res.status).toBe(200);
    expect(res.body.partitions).toEqual([{ partition: 1, low: '0', high: expect.any(String) }]);
    expect(res.body.messages.map((m) => m.offset)).toEqual(['0', '1', '2']);
    expect(res.body.messages[0]).toMatchObject({
      partition: 1,
      key: 'order-1',
      value: '{"total": 42}',
      keyBase64: Buffer.from('order-1').toString('base64'),
      valueBase64: Buffer.from('{"total": 42}').toString('base64'),
    });
    expect(res.body.messages[0].headers).toEqual([
      { key: 'source', value: 'api-test', valueBase64: Buffer.from('api-test').toString('base64') },
      { key: 'trace', value: 'abc', valueBase64: Buffer.from('abc').toString('base64') },
    ]);
  });

  it('pages by offset within a partition, and the newest page of a partition ends at its high watermark', async () => {
    const page = await browse('partition=1&offset=4&limit=3');
    expect(page.body.messages.map((m) => m.offset)).toEqual(['4', '5', '6']);
    const newest = await browse('partition=1&limit=4');
    const high = Number(newest.body.partitions[0].high);
    expect(newest.body.messages.map((m) => Number(m.offset))).toEqual([
      high - 4,
      high - 3,
      high - 2,
      high - 1,
    ]);
    const atEnd = await browse(`partition=1&offset=${high}`);
    expect(atEnd.status).toBe(200);
    expect(atEnd.body.messages).toEqual([]);
  });

  it('browses from a timestamp', async () => {
    const res = await browse(`timestamp=${midTime}&limit=50`);
    expect(res.status).toBe(200);
    // Everything after the first produce call: 6 unkeyed + 4 keyed + 1 tombstone.
    expect(res.body.messages).toHaveLength(11);
    expect(res.body.messages.every((m) => m.timestamp >= midTime)).toBe(true);
    const before = await browse('timestamp=0&partition=1&limit=2');
    expect(before.body.messages.map((m) => m.offset)).toEqual(['0', '1']);
  });

  it('shows binary keys and values as base64 only', async () => {
    const producer = env.kafka.producer();
    await producer.connect();
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80]);
    const [meta] = await producer.send({
      topic: TOPIC,
      messages: [{ partition: 0, key: bytes, value: bytes }],
    });
    await producer.disconnect();
    const res = await browse(`partition=0&offset=${meta.baseOffset}&limit=1`);
    expect(res.body.messages[0]).toMatchObject({
      key: null,
      value: null,
      keyBase64: bytes.toString('base64'),
      valueBase64: bytes.toString('base64'),
    });
  });

  it('leaves no throwaway consumer group behind', async () => {
    const { groups } = await env.admin.listGroups();
    expect(groups.filter((g) => g.groupId.startsWith(BROWSE_PREFIX))).toEqual([]);
  });

  it('reads an empty topic without a consumer', async () => {
    expect((await env.api('POST', '/api/v1/topics', { name: 'api-empty' })).status).toBe(201);
    const res = await env.api<Browse>('GET', '/api/v1/topics/api-empty/messages');
    expect(res).toMatchObject({
      status: 200,
      body: { messages: [], partitions: [{ partition: 0, low: '0', high: '0' }] },
    });
  });

  const badBrowses: [string, string, number, string, string | undefined][] = [
    ['an offset past the high watermark', 'partition=0&offset=999999', 400, 'OFFSET_OUT_OF_RANGE', 'offset'],
    ['a negative offset', 'partition=0&offset=-1', 400, 'OFFSET_OUT_OF_RANGE', 'offset'],
    ['a non-numeric offset', 'partition=0&offset=abc', 400, 'INVALID_ARGUMENT', 'offset'],
    ['an unknown partition', 'partition=7', 404, 'UNKNOWN_TOPIC_OR_PARTITION', 'partition'],
    ['a negative partition', 'partition=-1', 400, 'INVALID_ARGUMENT', 'partition'],
    ['limit 0', 'limit=0', 400, 'INVALID_ARGUMENT', 'limit'],
    ['limit above 500', 'limit=501', 400, 'INVALID_ARGUMENT', 'limit'],
    ['an unknown position', 'position=middle', 400, 'INVALID_ARGUMENT', 'position'],
  ];

  it.each(badBrowses)('rejects a browse with %s', async (_what, query, status, code, field) => {
    const res = await env.api<ErrorResponse>('GET', `/api/v1/topics/${TOPIC}/messages?${query}`);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.message.length).toBeGreaterThan(0);
  });

  const badProduces: [string, string, unknown, number, string, string | undefined][] = [
    ['no value field', TOPIC, { key: 'k' }, 400, 'INVALID_ARGUMENT', 'value'],
    ['count 0', TOPIC, { value: 'v', count: 0 }, 400, 'INVALID_ARGUMENT', 'count'],
    ['count above 1000', TOPIC, { value: 'v', count: 1001 }, 400, 'INVALID_ARGUMENT', 'count'],
    ['a non-string header', TOPIC, { value: 'v', headers: { a: 1 } }, 400, 'INVALID_ARGUMENT', 'headers.a'],
    [
      'an unknown partition',
      TOPIC,
      { value: 'v', partition: 3 },
      404,
      'UNKNOWN_TOPIC_OR_PARTITION',
      'partition',
    ],
    ['an unknown topic', 'api-nowhere', { value: 'v' }, 404, 'UNKNOWN_TOPIC_OR_PARTITION', undefined],
    ['malformed JSON', TOPIC, '{"value":', 400, 'INVALID_ARGUMENT', undefined],
  ];

  it.each(badProduces)('rejects a produce with %s', async (_what, topic, body, status, code, field) => {
    const res = await env.api<ErrorResponse>('POST', `/api/v1/topics/${topic}/messages`, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.field).toBe(field);
  });

  it('does not create a topic by producing to it', async () => {
    const topics = await env.admin.listTopics();
    expect(topics).not.toContain('api-nowhere');
  });
});
