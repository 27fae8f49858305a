/**
 * Test-only raw TCP client for the network layer's tests: writes size-prefixed frames (or raw bytes) and
 * collects size-prefixed responses. Not imported by production code.
 */
import net, { type Socket } from 'node:net';
import { FrameDecoder } from './frame-decoder';

export class TestClient {
  readonly responses: Buffer[] = [];
  readonly closed: Promise<void>;
  isClosed = false;
  bytesReceived = 0;
  private readonly decoder = new FrameDecoder(0x7fff_ffff);
  private readonly waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      this.decoder.push(chunk);
      for (let frame = this.decoder.next(); frame !== null; frame = this.decoder.next()) {
        this.responses.push(frame);
      }
      this.notify();
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.notify();
        resolve();
      }),
    );
  }

  /** `paused` starts the client without reading, to act as a slow consumer. */
  static connect(port: number, opts: { paused?: boolean } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      if (opts.paused) socket.pause();
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new TestClient(socket));
      });
    });
  }

  static frame(payload: Buffer): Buffer {
    const out = Buffer.allocUnsafe(4 + payload.length);
    out.writeInt32BE(payload.length, 0);
    payload.copy(out, 4);
    return out;
  }

  send(payload: Buffer): boolean {
    return this.socket.write(TestClient.frame(payload));
  }

  sendRaw(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.write(bytes, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** Resolves once `n` responses arrived; rejects if the connection closes first or time runs out. */
  async waitForResponses(n: number, timeoutMs = 20_000): Promise<Buffer[]> {
    await this.until(
      () => this.responses.length >= n,
      timeoutMs,
      () => `${this.responses.length}/${n} responses`,
    );
    return this.responses;
  }

  until(cond: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        } else if (this.isClosed) {
          clearTimeout(timer);
          reject(new Error(`connection closed while waiting: ${describe()}`));
        } else {
          this.waiters.push(check);
        }
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting: ${describe()}`)), timeoutMs);
      check();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Polls `cond` until true; for server-side state that has no event to wait on. */
export async function waitFor(cond: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function int32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n, 0);
  return b;
}
