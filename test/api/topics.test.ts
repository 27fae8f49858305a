import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiEnv, type ApiEnv, type ErrorResponse } from './harness';

interface ConfigEntry {
  name: string;
  value: string | null;
  source: string;
  isDefault: boolean;
  isSensitive: boolean;
  readOnly: boolean;
}
interface TopicList {
  items: {
    name: string;
    internal: boolean;
    partitions: number;
    replicationFactor: number;
    underReplicated: number;
    messages: number;
  }[];
  total: number;
  page: number;
  pageSize: number;
}
interface TopicDetail {
  name: string;
  internal: boolean;
  partitions: {
    partition: number;
    leader: number;
    replicas: number[];
    isr: number[];
    preferredLeader: number;
    underReplicated: boolean;
    earliestOffset: string;
    latestOffset: string;
  }[];
  configs: ConfigEntry[];
  groups: { groupId: string; state: string; lag: number | null }[];
}

// Cluster, brokers and topic administration over /api/v1 against a real broker.
describe('REST API: cluster, brokers, topics', () => {
  let env: ApiEnv;

  beforeAll(async () => {
    env = await startApiEnv();
  }, 600_000);

  afterAll(async () => {
    await env?.stop();
  }, 60_000);

  it('describes the cluster and its broker', async () => {
    const cluster = await env.api<{ clusterId: string; brokers: { nodeId: number }[] }>(
      'GET',
      '/api/v1/cluster',
    );
    expect(cluster.status).toBe(200);
    expect(cluster.body.clusterId).toBe(env.broker.clusterId);

    const brokers = await env.api<{ brokers: Record<string, unknown>[] }>('GET', '/api/v1/brokers');
    expect(brokers.status).toBe(200);
    expect(brokers.body.brokers).toEqual([
      {
        nodeId: env.broker.nodeId,
        host: env.broker.host,
        port: env.broker.port,
        rack: null,
        isController: true,
        partitions: expect.any(Number),
        leaders: expect.any(Number),
        logSizeBytes: null,
      },
    ]);
  });

  it('lists broker configs with their sources, and 404s an unknown broker', async () => {
    const res = await env.api<{ configs: ConfigEntry[] }>(
      'GET',
      `/api/v1/brokers/${env.broker.nodeId}/configs`,
    );
    expect(res.status).toBe(200);
    const logDirs = res.body.configs.find((c) => c.name === 'log.dirs');
    expect(logDirs).toMatchObject({ value: env.broker.logDir, source: 'STATIC_BROKER_CONFIG' });
    expect(res.body.configs.map((c) => c.name)).toEqual([...res.body.configs.map((c) => c.name)].sort());

    const unknown = await env.api<ErrorResponse>('GET', '/api/v1/brokers/999/configs');
    expect(unknown.status).toBe(404);
    const bad = await env.api<ErrorResponse>('GET', '/api/v1/brokers/abc/configs');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'id' });
  });

  it('creates topics with partitions, replication factor and configs; validateOnly creates nothing', async () => {
    const created = await env.api('POST', '/api/v1/topics', {
      name: 'api-orders',
      partitions: 3,
      replicationFactor: 1,
      configs: { 'retention.ms': '86400000' },
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'api-orders' } });

    const defaults = await env.api('POST', '/api/v1/topics', { name: 'api-defaults' });
    expect(defaults.status).toBe(201);

    const dry = await env.api('POST', '/api/v1/topics', {
      name: 'api-dry-run',
      partitions: 2,
      validateOnly: true,
    });
    expect(dry.status).toBe(201);

    const topics = await env.admin.fetchTopicMetadata();
    const byName = new Map(topics.topics.map((t) => [t.name, t.partitions.length]));
    expect(byName.get('api-orders')).toBe(3);
    expect(byName.get('api-defaults')).toBe(1); // num.partitions defaults to 1
    expect(byName.has('api-dry-run')).toBe(false);
  });

  const badCreates: [string, unknown, number, string, string | undefined][] = [
    ['empty name', { name: '' }, 400, 'INVALID_ARGUMENT', 'name'],
    ['name "."', { name: '.' }, 400, 'INVALID_ARGUMENT', 'name'],
    ['name ".."', { name: '..' }, 400, 'INVALID_ARGUMENT', 'name'],
    ['illegal characters', { name: 'orders/eu west' }, 400, 'INVALID_ARGUMENT', 'name'],
    ['250-character name', { name: 'x'.repeat(250) }, 400, 'INVALID_ARGUMENT', 'name'],
    ['missing name', { partitions: 1 }, 400, 'INVALID_ARGUMENT', 'name'],
    ['zero partitions', { name: 'api-zero', partitions: 0 }, 400, 'INVALID_ARGUMENT', 'partitions'],
    ['fractional partitions', { name: 'api-frac', partitions: 1.5 }, 400, 'INVALID_ARGUMENT', 'partitions'],
    [
      'replication factor above broker count',
      { name: 'api-rf3', replicationFactor: 3 },
      400,
      'INVALID_REPLICATION_FACTOR',
      'replicationFactor',
    ],
    [
      'invalid config value',
      { name: 'api-badcfg', configs: { 'cleanup.policy': 'sometimes' } },
      400,
      'INVALID_CONFIG',
      'configs',
    ],
    ['duplicate', { name: 'api-orders', partitions: 1 }, 409, 'TOPIC_ALREADY_EXISTS', 'name'],
    ['malformed JSON', '{"name": "api-x",', 400, 'INVALID_ARGUMENT', undefined],
    ['a JSON array', '[1,2]', 400, 'INVALID_ARGUMENT', undefined],
  ];

  it.each(badCreates)('rejects a create with %s', async (_what, body, status, code, field) => {
    const res = await env.api<ErrorResponse>('POST', '/api/v1/topics', body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message.length).toBeGreaterThan(0);
    if (field !== undefined) expect(res.body.error.field).toBe(field);
  });

  it('pages, sorts and searches topics on the server, with message counts', async () => {
    for (const [name, partitions] of [
      ['api-list-a', 4],
      ['api-list-b', 2],
      ['api-list-c', 6],
    ] as const) {
      expect((await env.api('POST', '/api/v1/topics', { name, partitions })).status).toBe(201);
    }
    const producer = env.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'api-list-b',
      messages: Array.from({ length: 7 }, (_, i) => ({ value: `m${i}` })),
    });
    await producer.disconnect();

    const search = await env.api<TopicList>(
      'GET',
      '/api/v1/topics?search=API-LIST&sort=partitions&order=desc',
    );
    expect(search.status).toBe(200);
    expect(search.body.total).toBe(3);
    expect(search.body.items.map((t) => [t.name, t.partitions])).toEqual([
      ['api-list-c', 6],
      ['api-list-a', 4],
      ['api-list-b', 2],
    ]);

    const page2 = await env.api<TopicList>(
      'GET',
      '/api/v1/topics?search=api-list&page=2&pageSize=2&sort=name',
    );
    expect(page2.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page2.body.items.map((t) => t.name)).toEqual(['api-list-c']);

    const byMessages = await env.api<TopicList>(
      'GET',
      '/api/v1/topics?search=api-list&sort=messages&order=desc&pageSize=1',
    );
    expect(byMessages.body.items).toEqual([
      {
        name: 'api-list-b',
        topicId: null,
        internal: false,
        partitions: 2,
        replicationFactor: 1,
        underReplicated: 0,
        messages: 7,
      },
    ]);

    const empty = await env.api<TopicList>('GET', '/api/v1/topics?search=no-such-topic');
    expect(empty.body).toMatchObject({ items: [], total: 0 });
  });

  it('hides internal topics unless asked', async () => {
    // A committed offset makes the broker create __consumer_offsets.
    const reset = await env.api('POST', '/api/v1/groups/api-internal-probe/reset-offsets', {
      topic: 'api-orders',
      to: 'earliest',
    });
    expect(reset.status).toBe(200);
    const hidden = await env.api<TopicList>('GET', '/api/v1/topics?pageSize=500');
    expect(hidden.body.items.some((t) => t.name === '__consumer_offsets')).toBe(false);
    const shown = await env.api<TopicList>('GET', '/api/v1/topics?pageSize=500&internal=true');
    expect(shown.body.items.find((t) => t.name === '__consumer_offsets')).toMatchObject({ internal: true });
  });

  const badQueries: [string, string][] = [
    ['page 0', 'page=0'],
    ['pageSize above 500', 'pageSize=501'],
    ['unknown sort key', 'sort=size'],
    ['unknown order', 'order=up'],
    ['non-boolean internal', 'internal=maybe'],
  ];

  it.each(badQueries)('rejects a topic list query with %s', async (_what, query) => {
    const res = await env.api<ErrorResponse>('GET', `/api/v1/topics?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_ARGUMENT');
    expect(res.body.error.field).toBe(query.split('=')[0]);
  });

  it('describes a topic: partitions with offsets, configs with sources', async () => {
    const res = await env.api<TopicDetail>('GET', '/api/v1/topics/api-list-b');
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('api-list-b');
    expect(res.body.partitions.map((p) => p.partition)).toEqual([0, 1]);
    for (const p of res.body.partitions) {
      expect(p).toMatchObject({
        leader: env.broker.nodeId,
        replicas: [env.broker.nodeId],
        isr: [env.broker.nodeId],
        preferredLeader: env.broker.nodeId,
        underReplicated: false,
        earliestOffset: '0',
      });
    }
    const total = res.body.partitions.reduce((s, p) => s + Number(p.latestOffset), 0);
    expect(total).toBe(7);

    const orders = await env.api<TopicDetail>('GET', '/api/v1/topics/api-orders');
    const retention = orders.body.configs.find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '86400000', source: 'DYNAMIC_TOPIC_CONFIG', isDefault: false });
    const segment = orders.body.configs.find((c) => c.name === 'segment.bytes');
    expect(segment?.source).not.toBe('DYNAMIC_TOPIC_CONFIG');
    expect(orders.body.groups).toEqual([{ groupId: 'api-internal-probe', state: 'Empty', lag: 0 }]);
  });

  it('edits topic configs: set and delete overrides, keeping the others', async () => {
    const res = await env.api<{ configs: ConfigEntry[] }>('PATCH', '/api/v1/topics/api-orders/configs', {
      set: { 'cleanup.policy': 'compact', 'max.message.bytes': '2000000' },
    });
    expect(res.status).toBe(200);
    const get = (configs: ConfigEntry[], name: string) => configs.find((c) => c.name === name);
    expect(get(res.body.configs, 'cleanup.policy')).toMatchObject({
      value: 'compact',
      source: 'DYNAMIC_TOPIC_CONFIG',
    });
    expect(get(res.body.configs, 'retention.ms')).toMatchObject({
      value: '86400000',
      source: 'DYNAMIC_TOPIC_CONFIG',
    });

    const removed = await env.api<{ configs: ConfigEntry[] }>('PATCH', '/api/v1/topics/api-orders/configs', {
      delete: ['retention.ms'],
    });
    expect(removed.status).toBe(200);
    expect(get(removed.body.configs, 'retention.ms')?.source).not.toBe('DYNAMIC_TOPIC_CONFIG');
    expect(get(removed.body.configs, 'max.message.bytes')).toMatchObject({
      value: '2000000',
      source: 'DYNAMIC_TOPIC_CONFIG',
    });

    const listed = await env.api<{ configs: ConfigEntry[] }>('GET', '/api/v1/topics/api-orders/configs');
    expect(listed.body.configs).toEqual(removed.body.configs);
  });

  const badPatches: [string, string, unknown, number, string][] = [
    ['an invalid value', 'api-orders', { set: { 'cleanup.policy': 'sometimes' } }, 400, 'INVALID_CONFIG'],
    ['nothing to change', 'api-orders', {}, 400, 'INVALID_ARGUMENT'],
    ['a non-string value', 'api-orders', { set: { 'retention.ms': 5 } }, 400, 'INVALID_ARGUMENT'],
    [
      'an unknown topic',
      'api-missing',
      { set: { 'retention.ms': '1000' } },
      404,
      'UNKNOWN_TOPIC_OR_PARTITION',
    ],
  ];

  it.each(badPatches)('rejects a config edit with %s', async (_what, topic, body, status, code) => {
    const res = await env.api<ErrorResponse>('PATCH', `/api/v1/topics/${topic}/configs`, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('adds partitions, and refuses to shrink', async () => {
    const res = await env.api('POST', '/api/v1/topics/api-list-b/partitions', { count: 5 });
    expect(res).toMatchObject({ status: 200, body: { partitions: 5 } });
    const detail = await env.api<TopicDetail>('GET', '/api/v1/topics/api-list-b');
    expect(detail.body.partitions).toHaveLength(5);

    const shrink = await env.api<ErrorResponse>('POST', '/api/v1/topics/api-list-b/partitions', { count: 2 });
    expect(shrink.status).toBe(400);
    expect(shrink.body.error).toMatchObject({ code: 'INVALID_PARTITIONS', field: 'count' });
    const missing = await env.api<ErrorResponse>('POST', '/api/v1/topics/api-missing/partitions', {
      count: 2,
    });
    expect(missing.status).toBe(404);
  });

  it('purges a topic with DeleteRecords up to the high watermark', async () => {
    const before = await env.api<TopicDetail>('GET', '/api/v1/topics/api-list-b');
    const one = await env.api<{ partitions: { partition: number; lowWatermark: string }[] }>(
      'POST',
      '/api/v1/topics/api-list-b/purge',
      { partitions: [0] },
    );
    expect(one.status).toBe(200);
    expect(one.body.partitions).toEqual([
      { partition: 0, lowWatermark: before.body.partitions[0].latestOffset },
    ]);

    const all = await env.api<{ partitions: { partition: number; lowWatermark: string }[] }>(
      'POST',
      '/api/v1/topics/api-list-b/purge',
    );
    expect(all.status).toBe(200);
    expect(all.body.partitions).toEqual(
      before.body.partitions.map((p) => ({ partition: p.partition, lowWatermark: p.latestOffset })),
    );
    const list = await env.api<TopicList>('GET', '/api/v1/topics?search=api-list-b');
    expect(list.body.items[0].messages).toBe(0);

    const badPartition = await env.api<ErrorResponse>('POST', '/api/v1/topics/api-list-b/purge', {
      partitions: [9],
    });
    expect(badPartition.status).toBe(404);
    expect(badPartition.body.error).toMatchObject({
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
      field: 'partitions',
    });
  });

  it('deletes a topic; the next read is a 404', async () => {
    const res = await env.api('DELETE', '/api/v1/topics/api-list-a');
    expect(res.status).toBe(204);
    const again = await env.api<ErrorResponse>('DELETE', '/api/v1/topics/api-list-a');
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const get = await env.api<ErrorResponse>('GET', '/api/v1/topics/api-list-a');
    expect(get.status).toBe(404);
    // The console's own client asked about the topic before; it must not be stuck on stale metadata.
    const other = await env.api('GET', '/api/v1/topics/api-orders');
    expect(other.status).toBe(200);
  });

  it('survives a topic deleted behind its back by another client', async () => {
    expect((await env.api('GET', '/api/v1/topics/api-list-c')).status).toBe(200);
    await env.admin.deleteTopics({ topics: ['api-list-c'] });
    // kafkajs keeps asking Metadata about every topic it has seen; the console must start afresh.
    expect((await env.api('POST', '/api/v1/topics', { name: 'api-after-delete' })).status).toBe(201);
    expect((await env.api('GET', '/api/v1/topics/api-after-delete')).status).toBe(200);
    expect((await env.api('GET', '/api/v1/topics/api-orders')).status).toBe(200);
    expect((await env.api('POST', '/api/v1/topics/api-orders/purge')).status).toBe(200);
    expect((await env.api<ErrorResponse>('GET', '/api/v1/topics/api-list-c')).status).toBe(404);
  });

  it('answers unknown topics, bad names and unknown API routes in the error format', async () => {
    const cases: [string, string, number, string][] = [
      ['GET', '/api/v1/topics/api-missing', 404, 'UNKNOWN_TOPIC_OR_PARTITION'],
      ['GET', '/api/v1/topics/api-missing/configs', 404, 'UNKNOWN_TOPIC_OR_PARTITION'],
      ['POST', '/api/v1/topics/api-missing/purge', 404, 'UNKNOWN_TOPIC_OR_PARTITION'],
      ['GET', '/api/v1/topics/bad%20name', 400, 'INVALID_ARGUMENT'],
      ['GET', '/api/v1/nothing-here', 404, 'NOT_FOUND'],
      ['GET', '/api/v1/topics/api-orders/nothing-here', 404, 'NOT_FOUND'],
    ];
    for (const [method, path, status, code] of cases) {
      const res = await env.api<ErrorResponse>(method, path);
      expect([method, path, res.status, res.body.error.code]).toEqual([method, path, status, code]);
      expect(res.headers.get('content-type')).toContain('application/json');
    }
  });
});
