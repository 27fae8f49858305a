import { afterEach, describe, expect, it } from 'vitest';
import { startNetworkServer, type Dispatcher, type NetworkLimits, type NetworkServer } from './server';
import { int32, sleep, TestClient, waitFor } from './test-client';

const servers: NetworkServer[] = [];
const clients: TestClient[] = [];
let warnings: { obj: object; msg?: string }[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  warnings = [];
});

async function start(dispatch: Dispatcher, limits?: Partial<NetworkLimits>): Promise<NetworkServer> {
  const logger = { warn: (obj: object, msg?: string) => warnings.push({ obj, msg }) };
  const server = await startNetworkServer({ host: '127.0.0.1', port: 0, limits, dispatch, logger });
  servers.push(server);
  return server;
}

async function connect(server: NetworkServer, opts?: { paused?: boolean }): Promise<TestClient> {
  const client = await TestClient.connect(server.port, opts);
  clients.push(client);
  return client;
}

/** Echo: the response is the request's leading int32 (its "correlation id") followed by the rest. */
const echo: Dispatcher = (frame) => [frame.subarray(0, 4), frame.subarray(4)];

const ids = (responses: Buffer[]): number[] => responses.map((r) => r.readInt32BE(0));
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('network server framing', () => {
  it('listens on the real port when given port 0 and passes connection info to the dispatcher', async () => {
    let seen: unknown;
    const server = await start((frame, conn) => {
      seen = conn;
      return echo(frame, conn);
    });
    expect(server.port).toBeGreaterThan(0);
    const client = await connect(server);
    client.send(int32(7));
    expect(ids(await client.waitForResponses(1))).toEqual([7]);
    expect(seen).toMatchObject({ remoteAddress: '127.0.0.1', localPort: server.port });
    expect(seen).toHaveProperty('remotePort', client.socket.localPort);
    expect(server.connectionCount()).toBe(1);
  });

  it('reassembles frames written one byte at a time', async () => {
    const server = await start(echo);
    const client = await connect(server);
    const bytes = Buffer.concat([
      TestClient.frame(Buffer.concat([int32(1), Buffer.from('first')])),
      TestClient.frame(int32(2)),
      TestClient.frame(Buffer.concat([int32(3), Buffer.alloc(50, 0xab)])),
    ]);
    for (let i = 0; i < bytes.length; i++) {
      await client.sendRaw(bytes.subarray(i, i + 1));
      if (i % 7 === 0) await sleep(1);
    }
    const responses = await client.waitForResponses(3);
    expect(ids(responses)).toEqual([1, 2, 3]);
    expect(responses[0].subarray(4).toString()).toBe('first');
    expect(responses[2].subarray(4).equals(Buffer.alloc(50, 0xab))).toBe(true);
  });

  it('handles many frames arriving in a single write', async () => {
    const server = await start(echo);
    const client = await connect(server);
    await client.sendRaw(Buffer.concat(range(500).map((i) => TestClient.frame(int32(i)))));
    expect(ids(await client.waitForResponses(500))).toEqual(range(500));
  });

  it('prefixes the total length of a multi-buffer response', async () => {
    const server = await start((frame) => [
      frame.subarray(0, 4),
      Buffer.from('ab'),
      Buffer.alloc(0),
      Buffer.from('cde'),
    ]);
    const client = await connect(server);
    client.send(int32(9));
    const [response] = await client.waitForResponses(1);
    expect(response.length).toBe(9);
    expect(response.subarray(4).toString()).toBe('abcde');
  });

  it('carries a frame larger than one socket read intact', async () => {
    const server = await start(echo);
    const client = await connect(server);
    const body = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) % 256;
    client.send(Buffer.concat([int32(5), body]));
    const [response] = await client.waitForResponses(1);
    expect(response.readInt32BE(0)).toBe(5);
    expect(response.subarray(4).equals(body)).toBe(true);
  });
});

describe('network server ordering', () => {
  it('dispatches 1000 pipelined requests in arrival order and answers in request order despite out-of-order completion', async () => {
    const dispatched: number[] = [];
    const completed: number[] = [];
    const server = await start(
      async (frame) => {
        const id = frame.readInt32BE(0);
        dispatched.push(id);
        await sleep(Math.floor(Math.random() * 5));
        completed.push(id);
        return [frame.subarray(0, 4)];
      },
      { maxInFlightPerConnection: 64 },
    );
    const client = await connect(server);
    for (const i of range(1000)) client.send(int32(i));
    expect(ids(await client.waitForResponses(1000))).toEqual(range(1000));
    expect(dispatched).toEqual(range(1000));
    // Proves the ordering above was the server's doing, not the dispatcher's.
    expect(completed).not.toEqual(range(1000));
  });

  it('skips null responses without blocking later ones', async () => {
    let releaseFirst: () => void = () => {};
    const server = await start((frame) => {
      const id = frame.readInt32BE(0);
      if (id === 0) return new Promise((resolve) => (releaseFirst = () => resolve(null)));
      if (id % 3 === 0) return null;
      if (id % 3 === 1) return Promise.resolve([frame.subarray(0, 4)]);
      return [frame.subarray(0, 4)];
    });
    const client = await connect(server);
    for (const i of range(30)) client.send(int32(i));
    await sleep(100);
    // Request 0 is still pending, so nothing after it may be written yet.
    expect(client.responses).toEqual([]);
    releaseFirst();
    const expected = range(30).filter((i) => i % 3 !== 0);
    expect(ids(await client.waitForResponses(expected.length))).toEqual(expected);
    client.send(int32(99));
    client.send(int32(101));
    expect(ids(await client.waitForResponses(expected.length + 1))).toEqual([...expected, 101]);
  });
});

describe('network server connection failures', () => {
  for (const [name, header] of [
    ['oversize', int32(1025)],
    ['negative', int32(-1)],
  ] as const) {
    it(`closes only the connection that sends a ${name} frame size`, async () => {
      const dispatched: number[] = [];
      const server = await start(
        (frame, conn) => {
          dispatched.push(frame.length);
          return echo(frame, conn);
        },
        { socketRequestMaxBytes: 1024 },
      );
      const bad = await connect(server);
      const good = await connect(server);
      await bad.sendRaw(header);
      await bad.closed;
      expect(dispatched).toEqual([]);
      expect(warnings.length).toBe(1);
      expect(warnings[0].obj).toHaveProperty('size', header.readInt32BE(0));

      good.send(Buffer.concat([int32(1), Buffer.alloc(1020)]));
      const [response] = await good.waitForResponses(1);
      expect(response.length).toBe(1024);
      await waitFor(() => server.connectionCount() === 1);
    });
  }

  it('closes only the connection whose dispatcher throws or rejects', async () => {
    const server = await start((frame, conn) => {
      const id = frame.readInt32BE(0);
      if (id === -1) throw new Error('sync boom');
      if (id === -2) return Promise.reject(new Error('async boom'));
      return echo(frame, conn);
    });
    const syncBad = await connect(server);
    const asyncBad = await connect(server);
    const good = await connect(server);
    syncBad.send(int32(-1));
    asyncBad.send(int32(1));
    asyncBad.send(int32(-2));
    await Promise.all([syncBad.closed, asyncBad.closed]);
    expect(warnings.map((w) => (w.obj as { err: Error }).err.message).sort()).toEqual([
      'async boom',
      'sync boom',
    ]);
    good.send(int32(3));
    expect(ids(await good.waitForResponses(1))).toEqual([3]);
    await waitFor(() => server.connectionCount() === 1);
  });

  it('closes on EOF after a truncated frame without dispatching it', async () => {
    let dispatched = 0;
    const server = await start(() => {
      dispatched++;
      return null;
    });
    const client = await connect(server);
    await client.sendRaw(Buffer.concat([int32(100), Buffer.alloc(10)]));
    client.socket.end();
    await client.closed;
    await waitFor(() => server.connectionCount() === 0);
    expect(dispatched).toBe(0);
  });

  it('survives clients that reset mid-response', async () => {
    const big = Buffer.alloc(1024 * 1024);
    const server = await start((frame) => [frame.subarray(0, 4), big]);
    for (let i = 0; i < 5; i++) {
      const client = await connect(server, { paused: true });
      for (const j of range(20)) client.send(int32(j));
      await sleep(20);
      client.socket.resetAndDestroy();
    }
    await waitFor(() => server.connectionCount() === 0);
    const client = await connect(server);
    client.send(int32(42));
    expect(ids(await client.waitForResponses(1))).toEqual([42]);
  });
});

describe('network server idle connections and close', () => {
  it('closes a connection idle for connectionsMaxIdleMs but not one owed a response', async () => {
    let release: () => void = () => {};
    const server = await start(
      (frame) => new Promise((resolve) => (release = () => resolve([frame.subarray(0, 4)]))),
      { connectionsMaxIdleMs: 150 },
    );
    const idle = await connect(server);
    const waiting = await connect(server);
    waiting.send(int32(8));
    await idle.closed;
    await sleep(500);
    expect(waiting.isClosed).toBe(false);
    release();
    expect(ids(await waiting.waitForResponses(1))).toEqual([8]);
    // Once answered it is idle like any other.
    await waiting.closed;
  });

  it('close() resolves with connections open and requests in flight', async () => {
    const server = await start(() => new Promise<null>(() => {}));
    const a = await connect(server);
    const b = await connect(server);
    a.send(int32(1));
    await waitFor(() => server.connectionCount() === 2);
    await server.close();
    await Promise.all([a.closed, b.closed]);
    expect(server.connectionCount()).toBe(0);
    await expect(TestClient.connect(server.port)).rejects.toThrow();
    await server.close();
  });
});
