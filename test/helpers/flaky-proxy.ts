/**
 * A TCP proxy on 127.0.0.1 in front of one broker that forwards Kafka frames both ways and can lose
 * the answer to a Produce request: after forwarding the chosen client->broker Produce request it stops
 * relaying anything to the client, waits until the broker has answered that request (so the broker
 * really appended it), then closes both sockets. The client sees a dead connection with requests in
 * flight and must retry batches the broker already holds: the case idempotent producers exist for.
 *
 * Clients learn broker addresses from Metadata, so a broker behind this proxy must advertise the
 * proxy's port (advertised.listeners), or clients bypass it after bootstrap; see withProxiedBroker.
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import { withBroker, type TestBroker } from './broker';
import { getFreePort } from './net';

const PRODUCE = 0;
/** How long a doomed connection waits for the broker's answer before closing anyway. */
const ANSWER_WAIT_MS = 5_000;

export interface ProxyStats {
  /** Client connections accepted. */
  connections: number;
  /** Produce requests forwarded to the broker. */
  produceRequests: number;
  /** Connections closed by the proxy after a forwarded Produce request. */
  kills: number;
  /** Of those, how many closed after the broker's answer arrived (and was withheld). */
  answersWithheld: number;
}

export interface FlakyProxy {
  readonly port: number;
  readonly stats: ProxyStats;
  /** Kills the connection after every `n`th Produce request forwarded from now on (0 = never). */
  killEvery(n: number): void;
  /** Kills the connection once, after the `n`th Produce request forwarded from now on. */
  killAfter(n: number): void;
  close(): Promise<void>;
}

/** Splits a byte stream into size-prefixed frames (each returned with its 4-byte size). */
class Framer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (this.pending.length < 4 + size) break;
      frames.push(this.pending.subarray(0, 4 + size));
      this.pending = this.pending.subarray(4 + size);
    }
    return frames;
  }
}

export async function startFlakyProxy(opts: {
  targetPort: number;
  targetHost?: string;
  /** 0 (default) lets the OS choose. */
  listenPort?: number;
}): Promise<FlakyProxy> {
  const stats: ProxyStats = { connections: 0, produceRequests: 0, kills: 0, answersWithheld: 0 };
  let every = 0;
  let sinceKill = 0;
  let onceAfter = 0;
  const sockets = new Set<Socket>();

  /** Counts one forwarded Produce request; true when this one dooms its connection. */
  const doomed = (): boolean => {
    stats.produceRequests++;
    sinceKill++;
    if (onceAfter > 0 && --onceAfter === 0) {
      sinceKill = 0;
      return true;
    }
    if (every > 0 && sinceKill >= every) {
      sinceKill = 0;
      return true;
    }
    return false;
  };

  const server = net.createServer((client) => {
    stats.connections++;
    const broker = net.connect({ host: opts.targetHost ?? '127.0.0.1', port: opts.targetPort });
    for (const s of [client, broker]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        broker.destroy();
      });
    }
    const up = new Framer();
    const down = new Framer();
    /** Correlation id of the Produce request whose answer is withheld; null while healthy. */
    let doomedCorrelationId: number | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (answered: boolean) => {
      clearTimeout(killTimer);
      stats.kills++;
      if (answered) stats.answersWithheld++;
      client.destroy();
      broker.destroy();
    };

    client.on('data', (chunk: Buffer) => {
      if (doomedCorrelationId !== null) return; // requests after the doomed one are lost
      for (const frame of up.push(chunk)) {
        broker.write(frame);
        if (frame.length < 12 || frame.readInt16BE(4) !== PRODUCE || !doomed()) continue;
        doomedCorrelationId = frame.readInt32BE(8);
        killTimer = setTimeout(() => kill(false), ANSWER_WAIT_MS);
        return;
      }
    });
    broker.on('data', (chunk: Buffer) => {
      for (const frame of down.push(chunk)) {
        if (doomedCorrelationId === null) {
          client.write(frame);
        } else if (frame.length >= 8 && frame.readInt32BE(4) === doomedCorrelationId) {
          kill(true);
          return;
        }
        // Answers to earlier requests that arrive after the doom are withheld too.
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    stats,
    killEvery(n) {
      every = n;
      sinceKill = 0;
    },
    killAfter(n) {
      onceAfter = n;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ProxiedBroker {
  broker: TestBroker;
  proxy: FlakyProxy;
  /** The broker's own port, for readers that must not go through the proxy. */
  brokerPort: number;
  /** 'host:port' of the proxy, for clients. */
  bootstrap: string;
  cleanup(): Promise<void>;
}

/**
 * A broker that listens on a free port and advertises the proxy in front of it, so clients that
 * bootstrap through the proxy keep using it for every connection Metadata tells them about.
 */
export async function withProxiedBroker(
  overrides: Record<string, string | number | boolean> = {},
): Promise<ProxiedBroker> {
  const brokerPort = await getFreePort();
  const proxy = await startFlakyProxy({ targetPort: brokerPort });
  let broker: TestBroker;
  try {
    broker = await withBroker({
      listeners: `PLAINTEXT://127.0.0.1:${brokerPort}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxy.port}`,
      ...overrides,
    });
  } catch (err) {
    await proxy.close();
    throw err;
  }
  return {
    broker,
    proxy,
    brokerPort,
    bootstrap: `127.0.0.1:${proxy.port}`,
    async cleanup() {
      await proxy.close();
      await broker.cleanup();
    },
  };
}
