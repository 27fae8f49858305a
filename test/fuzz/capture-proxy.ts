/**
 * A TCP proxy that records every client->broker frame while relaying both directions unchanged. The
 * broker behind it advertises the proxy's port, so clients that learn addresses from Metadata keep
 * coming through it. Frames are kept with the client id of their connection's first request, which
 * is how the corpus tells kafkajs, kcat and confluent-kafka-python apart.
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import { FrameSplitter, peekHeader } from './frames';

export interface CapturedFrame {
  clientId: string;
  /** Payload without the size prefix. */
  payload: Buffer;
}

export interface CaptureProxy {
  readonly port: number;
  /** The broker to forward to; set once it runs (it must advertise this proxy's port). */
  setTarget(port: number, host?: string): void;
  frames: CapturedFrame[];
  close(): Promise<void>;
}

function clientIdOf(payload: Buffer): string {
  if (payload.length < 10 || !peekHeader(payload)) return '?';
  const len = payload.readInt16BE(8);
  if (len < 0 || 10 + len > payload.length) return '?';
  return payload.toString('utf8', 10, 10 + len);
}

export async function startCaptureProxy(): Promise<CaptureProxy> {
  let target: { host: string; port: number } | null = null;
  const frames: CapturedFrame[] = [];
  const sockets = new Set<Socket>();

  const server = net.createServer((client) => {
    if (!target) {
      client.destroy();
      return;
    }
    const broker = net.connect(target);
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
    const up = new FrameSplitter();
    let clientId: string | null = null;
    client.on('data', (chunk: Buffer) => {
      broker.write(chunk);
      try {
        for (const payload of up.push(chunk)) {
          clientId ??= clientIdOf(payload);
          frames.push({ clientId, payload: Buffer.from(payload) });
        }
      } catch {
        // A client never sends a negative size; if one did, stop recording this connection.
        up.push = () => [];
      }
    });
    broker.on('data', (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    setTarget(port, host = '127.0.0.1') {
      target = { host, port };
    },
    frames,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
