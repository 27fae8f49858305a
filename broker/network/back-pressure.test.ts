import { afterEach, describe, expect, it } from 'vitest';
import { startNetworkServer, type Dispatcher, type NetworkLimits, type NetworkServer } from './server';
import { int32, sleep, TestClient, waitFor } from './test-client';

const servers: NetworkServer[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(dispatch: Dispatcher, limits: Partial<NetworkLimits>): Promise<NetworkServer> {
  const server = await startNetworkServer({ host: '127.0.0.1', port: 0, limits, dispatch });
  servers.push(server);
  return server;
}

async function connect(server: NetworkServer, opts?: { paused?: boolean }): Promise<TestClient> {
  const client = await TestClient.connect(server.port, opts);
  clients.push(client);
  return client;
}

/** Waits until `read()` has not changed for `quietMs`: the server has stopped making progress. */
async function settle(read: () => number, quietMs = 400): Promise<number> {
  let last = read();
  for (;;) {
    await sleep(quietMs);
    const now = read();
    if (now === last) return now;
    last = now;
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const MiB = 1024 * 1024;

describe('network server back-pressure', () => {
  for (const mode of ['sync', 'async'] as const) {
    it(`stops reading a client that does not read its 1 MiB responses (${mode} dispatcher)`, async () => {
      const big = Buffer.alloc(MiB, 1);
      let dispatched = 0;
      const server = await start(
        (frame) => {
          dispatched++;
          const response = [frame.subarray(0, 4), big];
          return mode === 'sync' ? response : new Promise((resolve) => setImmediate(() => resolve(response)));
        },
        // The in-flight cap alone cannot stop this client (answered requests free their slots), so only
        // the socket's write buffer can. Sync: no cap at all. Async: a cap is what bounds the requests of
        // one socket read that are dispatched before any of them completes.
        { maxInFlightPerConnection: mode === 'sync' ? 1_000_000 : 10 },
      );
      const requests = 300;
      const client = await connect(server, { paused: true });
      for (const i of range(requests)) client.send(int32(i));
      await waitFor(() => dispatched > 0);
      const stalledAt = await settle(() => dispatched);
      // Kernel socket buffers on loopback hold a few MiB; the rest must not have been dispatched.
      expect(stalledAt).toBeLessThan(64);

      // The socket itself must stop being read, not just the decoder's output: 32 MiB more of requests
      // have to back up in the client's own write buffer instead of being buffered by the server.
      const extra = 32;
      for (const i of range(extra)) client.send(Buffer.concat([int32(requests + i), Buffer.alloc(MiB - 4)]));
      const backlog = await settle(() => client.socket.writableLength);
      expect(backlog).toBeGreaterThan(16 * MiB);
      expect(dispatched).toBe(stalledAt);

      client.socket.resume();
      const total = requests + extra;
      const responses = await client.waitForResponses(total, 60_000);
      expect(responses.map((r) => r.readInt32BE(0))).toEqual(range(total));
      expect(responses.every((r) => r.length === 4 + MiB)).toBe(true);
      expect(dispatched).toBe(total);
    });
  }

  it('stops dispatching at maxInFlightPerConnection and resumes as requests complete', async () => {
    const held: (() => void)[] = [];
    let dispatched = 0;
    let holding = true;
    const server = await start(
      (frame) => {
        dispatched++;
        const response = [frame.subarray(0, 4)];
        if (!holding) return response;
        return new Promise((resolve) => held.push(() => resolve(response)));
      },
      { maxInFlightPerConnection: 5 },
    );
    const client = await connect(server);
    for (const i of range(50)) client.send(int32(i));
    await waitFor(() => dispatched === 5);
    await sleep(200);
    expect(dispatched).toBe(5);

    // Completing the second does not free a slot: the first still holds the head of the queue.
    held[1]();
    await sleep(100);
    expect(dispatched).toBe(5);
    expect(client.responses).toEqual([]);

    held[0]();
    await waitFor(() => dispatched === 7);
    await sleep(100);
    expect(dispatched).toBe(7);
    expect(client.responses.map((r) => r.readInt32BE(0))).toEqual([0, 1]);

    holding = false;
    for (const release of held) release();
    const responses = await client.waitForResponses(50);
    expect(responses.map((r) => r.readInt32BE(0))).toEqual(range(50));
  });
});
