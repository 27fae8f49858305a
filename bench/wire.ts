/**
 * A minimal pipelined Kafka wire client for the benchmarks, on the repo's generated codecs and the
 * header rules of broker/protocol/header.ts (request header v2 for flexible versions, v1 otherwise;
 * response header v1 for flexible versions except ApiVersions). Several requests may be in flight on
 * the one connection; responses are matched by correlation id.
 *
 * The socket reads into one reused 1 MiB buffer (net's `onread`), and each response is copied once
 * into a frame buffer taken from a small pool when its size prefix arrives: a 50 MB Fetch response
 * costs one copy into memory that is already mapped, not a fresh allocation per socket chunk and per
 * frame (which made the garbage collector and page faults the client's main costs). A caller that
 * takes a frame with send() gives it back with release() once nothing refers to its bytes.
 */
import net from 'node:net';
import type { ApiVersionsResponse } from '../broker/protocol/generated/api-versions';
import { API_BY_KEY, ApiKey, type ApiSpec } from '../broker/protocol/generated/index';
import { requestHeaderVersion, responseHeaderVersion } from '../broker/protocol/header';
import { Reader } from '../broker/protocol/reader';
import { Writer } from '../broker/protocol/writer';

interface Pending {
  apiKey: number;
  version: number;
  resolve(frame: Frame): void;
  reject(err: Error): void;
}

/** A response: a reader positioned at its body, and release() to return its buffer to the pool. */
export interface Frame {
  body: Reader;
  release(): void;
}

const READ_BUFFER = 1024 * 1024;
// Frames at least this big come from the pool; smaller ones are plain allocations.
const POOLED_MIN = 64 * 1024;
const POOL_KEEP = 8;

function spec(apiKey: number): ApiSpec {
  const s = API_BY_KEY[apiKey];
  if (!s) throw new Error(`no codec for API key ${apiKey}`);
  return s;
}

export class WireClient {
  private readonly pending = new Map<number, Pending>();
  private nextCorrelationId = 1;
  private versions = new Map<number, { min: number; max: number }>();
  private failure: Error | undefined;
  // The frame being received: its size prefix (possibly split across chunks), then its body.
  private sizeBytes = Buffer.alloc(4);
  private sizeHave = 0;
  private frame: Buffer | undefined;
  private frameHave = 0;
  private readonly pool: Buffer[] = [];

  private constructor(
    private readonly socket: net.Socket,
    private readonly clientId: string,
  ) {
    socket.setNoDelay(true);
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed by the broker')));
  }

  static async connect(bootstrap: string, clientId = 'bench'): Promise<WireClient> {
    const [host, port] = bootstrap.split(':');
    // The broker speaks only when asked, so nothing arrives before the client exists.
    const target: { client?: WireClient } = {};
    const onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER),
      callback: (n: number, buf: Uint8Array) => {
        target.client!.onData(buf as Buffer, n);
        return true;
      },
    };
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port: Number(port), onread });
      s.once('connect', () => {
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', reject);
    });
    const client = new WireClient(socket, clientId);
    target.client = client;
    try {
      const res = await client.request<ApiVersionsResponse>(ApiKey.ApiVersions, 3, {
        clientSoftwareName: 'bench',
        clientSoftwareVersion: '1',
      });
      if (res.errorCode !== 0) throw new Error(`ApiVersions: error code ${res.errorCode}`);
      client.versions = new Map(res.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  /** The highest version of `apiKey` both sides speak, capped at `cap`; -1 when there is none. */
  version(apiKey: number, cap: number): number {
    const theirs = this.versions.get(apiKey);
    if (!theirs) return -1;
    const v = Math.min(theirs.max, spec(apiKey).maxVersion, cap);
    return v >= Math.max(theirs.min, spec(apiKey).minVersion) ? v : -1;
  }

  /** Sends a request and resolves with the decoded response body. */
  async request<Res>(apiKey: number, version: number, body: unknown): Promise<Res> {
    // Not released: the decoded body may hold slices of the frame.
    const { body: r } = await this.send(apiKey, version, body);
    return spec(apiKey).readResponse(r, version) as Res;
  }

  /**
   * Sends a request and resolves with the response frame, for callers that decode it themselves (or
   * with a specific generated reader) and release it when done with its bytes.
   */
  send(apiKey: number, version: number, body: unknown): Promise<Frame> {
    if (this.failure) return Promise.reject(this.failure);
    const correlationId = this.nextCorrelationId++;
    const w = new Writer(256);
    w.int32(0).int16(apiKey).int16(version).int32(correlationId).nullableString(this.clientId);
    if (requestHeaderVersion(apiKey, version) >= 2) w.uvarint(0); // no tagged fields
    spec(apiKey).writeRequest(w, version, body);
    const bytes = Buffer.from(w.toBuffer());
    bytes.writeInt32BE(bytes.length - 4, 0);
    return new Promise<Frame>((resolve, reject) => {
      this.pending.set(correlationId, { apiKey, version, resolve, reject });
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.failure ??= new Error('connection closed');
    this.socket.destroy();
  }

  private take(size: number): Buffer {
    if (size < POOLED_MIN) return Buffer.allocUnsafe(size);
    const i = this.pool.findIndex((b) => b.length >= size);
    const buf = i >= 0 ? this.pool.splice(i, 1)[0] : Buffer.allocUnsafeSlow(Math.max(size, 2 * POOLED_MIN));
    return buf.subarray(0, size);
  }

  private give(frame: Buffer): void {
    if (frame.length < POOLED_MIN || this.pool.length >= POOL_KEEP) return;
    this.pool.push(Buffer.from(frame.buffer, frame.byteOffset, frame.buffer.byteLength - frame.byteOffset));
  }

  private onData(chunk: Buffer, length: number): void {
    let at = 0;
    while (at < length) {
      if (!this.frame) {
        const n = Math.min(4 - this.sizeHave, length - at);
        chunk.copy(this.sizeBytes, this.sizeHave, at, at + n);
        this.sizeHave += n;
        at += n;
        if (this.sizeHave < 4) return;
        this.frame = this.take(this.sizeBytes.readInt32BE(0));
        this.frameHave = 0;
        this.sizeHave = 0;
      }
      const n = Math.min(this.frame.length - this.frameHave, length - at);
      chunk.copy(this.frame, this.frameHave, at, at + n);
      this.frameHave += n;
      at += n;
      if (this.frameHave === this.frame.length) {
        const frame = this.frame;
        this.frame = undefined;
        this.onFrame(frame);
      }
    }
  }

  private onFrame(frame: Buffer): void {
    const r = new Reader(frame);
    const correlationId = r.int32();
    const p = this.pending.get(correlationId);
    if (!p) return;
    this.pending.delete(correlationId);
    try {
      if (responseHeaderVersion(p.apiKey, p.version) >= 1) {
        for (let n = r.uvarint(); n > 0; n--) {
          r.uvarint(); // tag
          r.rawBytes(r.uvarint());
        }
      }
      let released = false;
      const release = () => {
        if (!released) this.give(frame);
        released = true;
      };
      p.resolve({ body: r, release });
    } catch (e) {
      p.reject(e as Error);
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}
