/**
 * Hostile and broken input on a real socket. Kafka closes the connection (SocketServer / RequestContext:
 * InvalidReceiveException, InvalidRequestException) and keeps serving everyone else; after every case a
 * connection that was already open and a brand-new one must still get a correct ApiVersions answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BY_KEY } from '../../broker/protocol/generated/index';
import { withBroker, type TestBroker } from '../helpers/broker';
import { METADATA, RawClient, encodeRequest } from './raw-client';

let broker: TestBroker;
let witness: RawClient;

beforeAll(async () => {
  broker = await withBroker();
  witness = await RawClient.connect(broker.port);
});
afterAll(async () => {
  witness?.destroy();
  await broker?.cleanup();
});

async function expectServing(b: TestBroker, open?: RawClient): Promise<void> {
  const fresh = await RawClient.connect(b.port);
  try {
    for (const c of open ? [open, fresh] : [fresh]) {
      const res = await c.apiVersions(3);
      expect(res.errorCode).toBe(0);
      expect(res.apiKeys.find((k) => k.apiKey === METADATA)).toMatchObject({ minVersion: 0, maxVersion: 12 });
    }
  } finally {
    fresh.destroy();
  }
}

/** Writes `bytes` (optionally half-closing) and expects the broker to close without answering. */
async function expectClosedBy(bytes: Buffer, opts: { end?: boolean; b?: TestBroker } = {}): Promise<void> {
  const b = opts.b ?? broker;
  const c = await RawClient.connect(b.port);
  c.socket.write(bytes, () => {}); // the broker may close before all of it is written
  if (opts.end) c.socket.end();
  await c.waitClosed();
  expect(c.frames).toHaveLength(0);
  await expectServing(b, b === broker ? witness : undefined);
}

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function randomBytes(seed: number, n: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** A header for `apiKey`/`version` with a well-formed client id, and `body` after it. */
function rawRequest(apiKey: number, version: number, body = Buffer.alloc(0), flexible = false): Buffer {
  const id = Buffer.from('bad-input');
  const h = Buffer.alloc(10);
  h.writeInt16BE(apiKey, 0);
  h.writeInt16BE(version, 2);
  h.writeInt32BE(7, 4);
  h.writeInt16BE(id.length, 8);
  return frame(Buffer.concat([h, id, flexible ? Buffer.from([0]) : Buffer.alloc(0), body]));
}

describe('garbage', () => {
  it.each([0, 1, 7, 64, 1000, 5000])(
    'a framed random payload of %i bytes closes the connection',
    async (n) => {
      let seed = 1000 + n;
      let payload = randomBytes(seed, n);
      // A payload that happens to name a real API could be a valid request; pick another seed then.
      while (n >= 2 && API_BY_KEY[payload.readInt16BE(0)]) payload = randomBytes(++seed, n);
      await expectClosedBy(frame(payload));
    },
  );

  it.each([3, 100, 2000])('%i unframed random bytes then half-close close the connection', async (n) => {
    await expectClosedBy(randomBytes(42 + n, n), { end: true });
  });

  it.each([-1, -2147483648])('a negative size prefix (%i) closes the connection', async (size) => {
    const b = Buffer.alloc(8);
    b.writeInt32BE(size, 0);
    await expectClosedBy(b);
  });

  it('a truncated frame then half-close closes the connection', async () => {
    const full = encodeRequest(METADATA, 12, 1, { topics: null });
    await expectClosedBy(full.subarray(0, full.length - 5), { end: true });
  });

  it('a request header cut in the middle of the client id closes the connection', async () => {
    const h = Buffer.alloc(10);
    h.writeInt16BE(METADATA, 0);
    h.writeInt16BE(1, 2);
    h.writeInt32BE(9, 4);
    h.writeInt16BE(20, 8); // says 20 bytes of client id, frame holds 3
    await expectClosedBy(frame(Buffer.concat([h, Buffer.from('abc')])));
  });
});

describe('requests the broker does not serve', () => {
  it('an unknown API key (999) closes the connection', async () => {
    await expectClosedBy(rawRequest(999, 0));
  });

  it('an API served only by controllers (BrokerHeartbeat 63) closes the connection', async () => {
    const body = {
      brokerId: 1,
      brokerEpoch: 1n,
      currentMetadataOffset: 0n,
      wantFence: false,
      wantShutDown: false,
    };
    await expectClosedBy(encodeRequest(63, 0, 5, body));
  });

  it('Produce v2 (old message format, not served since KIP-896) closes the connection', async () => {
    await expectClosedBy(encodeRequest(0, 2, 5, { acks: 1, timeoutMs: 1000, topicData: [] }));
  });

  it.each([13, 50, 32767])('Metadata at unsupported version %i closes the connection', async (v) => {
    // Header v2 and a v12-shaped body: topics null, allowAutoTopicCreation, no topic ops, no tags.
    await expectClosedBy(rawRequest(METADATA, v, Buffer.from([0, 1, 0, 0]), true));
  });
});

describe('limits', () => {
  it('a frame larger than socket.request.max.bytes closes the connection', async () => {
    const small = await withBroker({ 'socket.request.max.bytes': 1024 });
    try {
      const big = Buffer.alloc(4 + 100);
      big.writeInt32BE(2000, 0);
      await expectClosedBy(big, { b: small });
      // Just under the limit is still a request: Metadata v1 naming a 900-character (invalid) topic.
      const c = await RawClient.connect(small.port);
      const res = await c.metadata(1, { topics: [{ name: 'x'.repeat(900) }] });
      expect(res.topics[0].errorCode).toBe(17);
      c.destroy();
    } finally {
      await small.cleanup();
    }
  });

  it('an idle connection is closed after connections.max.idle.ms; a busy one is not', async () => {
    const idleBroker = await withBroker({ 'connections.max.idle.ms': 1000 });
    const idle = await RawClient.connect(idleBroker.port);
    const busy = await RawClient.connect(idleBroker.port);
    try {
      let stop = false;
      // Errors are collected, not thrown, so a failure here cannot become an unhandled rejection.
      const pinging = (async () => {
        while (!stop) {
          if ((await busy.apiVersions(3)).errorCode !== 0) throw new Error('busy connection got an error');
          await new Promise((r) => setTimeout(r, 100));
        }
      })().then(
        () => undefined,
        (err: unknown) => err,
      );
      await idle.waitClosed(20_000).finally(() => (stop = true));
      expect(await pinging).toBeUndefined();
      expect(idle.frames).toHaveLength(0);
      await expectServing(idleBroker, busy);
    } finally {
      idle.destroy();
      busy.destroy();
      await idleBroker.cleanup();
    }
  });
});
