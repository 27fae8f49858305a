import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { apiClient, consoleBuild, type Api, type ErrorResponse } from './harness';

// Port 1 on loopback refuses connections: a cluster that is down. Every route that needs Kafka
// answers 502 CLUSTER_UNREACHABLE quickly; the routes that do not (OpenAPI, validation) still work.
describe('REST API without a reachable cluster', () => {
  let next: NextServer | undefined;
  let api: Api;

  beforeAll(async () => {
    await consoleBuild();
    next = await startNextServer('127.0.0.1:1');
    api = apiClient(next.url);
  }, 600_000);

  afterAll(async () => {
    await next?.stop();
  }, 60_000);

  const routes: [string, string, unknown?][] = [
    ['GET', '/api/v1/cluster'],
    ['GET', '/api/v1/brokers'],
    ['GET', '/api/v1/brokers/1/configs'],
    ['GET', '/api/v1/topics'],
    ['POST', '/api/v1/topics', { name: 'down-topic' }],
    ['GET', '/api/v1/topics/down-topic'],
    ['DELETE', '/api/v1/topics/down-topic'],
    ['GET', '/api/v1/topics/down-topic/configs'],
    ['PATCH', '/api/v1/topics/down-topic/configs', { set: { 'retention.ms': '1000' } }],
    ['POST', '/api/v1/topics/down-topic/partitions', { count: 3 }],
    ['POST', '/api/v1/topics/down-topic/purge'],
    ['GET', '/api/v1/topics/down-topic/messages'],
    ['POST', '/api/v1/topics/down-topic/messages', { value: 'v' }],
    ['GET', '/api/v1/groups'],
    ['GET', '/api/v1/groups/g1'],
    ['DELETE', '/api/v1/groups/g1'],
    ['POST', '/api/v1/groups/g1/reset-offsets', { topic: 'down-topic', to: 'earliest' }],
  ];

  it.each(routes)('%s %s answers 502 CLUSTER_UNREACHABLE', async (method, path, body) => {
    const started = Date.now();
    const res = await api<ErrorResponse>(method, path, body);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('CLUSTER_UNREACHABLE');
    expect(res.body.error.message).toMatch(/ECONNREFUSED|connect/i);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Short client timeouts: an operator sees the problem in seconds, not after kafkajs' ~30 s default.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('validates input before trying the cluster', async () => {
    const res = await api<ErrorResponse>('POST', '/api/v1/topics', { name: 'bad name' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'name' });
  });

  it('serves an OpenAPI 3.1 document covering every route', async () => {
    const res = await api<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown>; parameters: { name: string }[] }>
      >;
      components: { schemas: Record<string, unknown> };
    }>('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const operations = Object.entries(res.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const expected = routes.map(([method, path]) =>
      `${method} ${path}`
        .replace('/brokers/1/', '/brokers/{id}/')
        .replace('/down-topic', '/{name}')
        .replace('/g1', '/{id}'),
    );
    expect(operations.sort()).toEqual([...new Set(expected)].sort());
    const browse = res.body.paths['/api/v1/topics/{name}/messages'].get;
    expect(browse.parameters.map((p) => p.name)).toEqual([
      'name',
      'partition',
      'offset',
      'timestamp',
      'position',
      'limit',
    ]);
    expect(Object.keys(browse.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '502']));
    expect(Object.keys(res.body.components.schemas)).toEqual(
      expect.arrayContaining(['Error', 'TopicDetail', 'Message']),
    );
    // Every $ref resolves inside the document.
    const refs = [...JSON.stringify(res.body).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    for (const ref of refs) expect(res.body.components.schemas).toHaveProperty(ref);
  });
});
