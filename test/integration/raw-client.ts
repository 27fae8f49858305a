/**
 * A raw Kafka wire client for integration tests: builds requests with the generated codecs but writes
 * the request header and reads the response header itself, from the protocol guide's rules, so the
 * broker's own header logic is what gets tested. Not a test file (no .test suffix).
 */
import net, { type Socket } from 'node:net';
import type { ApiVersionsRequest, ApiVersionsResponse } from '../../broker/protocol/generated/api-versions';
import { API_BY_KEY } from '../../broker/protocol/generated/index';
import type { MetadataRequest, MetadataResponse } from '../../broker/protocol/generated/metadata';
import { Reader } from '../../broker/protocol/reader';
import { Writer } from '../../broker/protocol/writer';

export const API_VERSIONS = 18;
export const METADATA = 3;

function spec(apiKey: number) {
  const s = API_BY_KEY[apiKey];
  if (!s) throw new Error(`no codec for API key ${apiKey}`);
  return s;
}

const flexible = (apiKey: number, version: number) =>
  spec(apiKey).flexibleMin >= 0 && version >= spec(apiKey).flexibleMin;

/** A size-prefixed request: header v2 for flexible versions (v1 otherwise), then the body. */
export function encodeRequest(
  apiKey: number,
  version: number,
  correlationId: number,
  body: unknown,
  clientId: string | null = 'raw-test',
): Buffer {
  const w = new Writer();
  w.int32(0); // size, patched below
  w.int16(apiKey).int16(version).int32(correlationId).nullableString(clientId);
  if (flexible(apiKey, version)) w.uvarint(0); // no tagged fields
  spec(apiKey).writeRequest(w, version, body);
  const buf = Buffer.from(w.toBuffer());
  buf.writeInt32BE(buf.length - 4, 0);
  return buf;
}

/** Response header v0 for ApiVersions (always) and non-flexible versions, v1 for the rest. */
export function decodeResponse<T>(frame: Buffer, apiKey: number, version: number) {
  const r = new Reader(frame);
  const correlationId = r.int32();
  if (apiKey !== API_VERSIONS && flexible(apiKey, version)) {
    const tags = r.uvarint();
    if (tags !== 0) throw new Error(`unexpected ${tags} tagged fields in response header`);
  }
  const body = spec(apiKey).readResponse(r, version) as T;
  if (r.remaining !== 0) throw new Error(`${r.remaining} bytes left after the response body`);
  return { correlationId, body };
}

export class RawClient {
  readonly frames: Buffer[] = [];
  readonly closed: Promise<void>;
  isClosed = false;
  private pending = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private nextCorrelationId = 1;

  private constructor(readonly socket: Socket) {
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      while (this.pending.length >= 4 && this.pending.length >= 4 + this.pending.readInt32BE(0)) {
        const size = this.pending.readInt32BE(0);
        this.frames.push(this.pending.subarray(4, 4 + size));
        this.pending = this.pending.subarray(4 + size);
      }
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.wake();
        resolve();
      }),
    );
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port }, () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(bytes, (e) => (e ? reject(e) : resolve())));
  }

  /** Resolves with the first `n` frames received; rejects if the broker closes first. */
  waitFrames(n: number, timeoutMs = 10_000): Promise<Buffer[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out: ${this.frames.length}/${n} frames`)),
        timeoutMs,
      );
      const check = () => {
        if (this.frames.length >= n) {
          clearTimeout(timer);
          resolve(this.frames.slice(0, n));
        } else if (this.isClosed) {
          clearTimeout(timer);
          reject(new Error(`connection closed after ${this.frames.length}/${n} frames`));
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Resolves when the broker closes the connection; rejects after `timeoutMs`. */
  waitClosed(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('broker did not close the connection')), timeoutMs);
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  /** Sends one request and decodes its response (the next frame on this connection). */
  async request<Res>(apiKey: number, version: number, body: unknown, clientId?: string | null) {
    const correlationId = this.nextCorrelationId++;
    const already = this.frames.length;
    await this.write(encodeRequest(apiKey, version, correlationId, body, clientId));
    const frames = await this.waitFrames(already + 1);
    const res = decodeResponse<Res>(frames[already], apiKey, version);
    if (res.correlationId !== correlationId)
      throw new Error(`correlation id ${res.correlationId}, expected ${correlationId}`);
    return res.body;
  }

  apiVersions(
    version = 3,
    body: ApiVersionsRequest = { clientSoftwareName: 'raw', clientSoftwareVersion: '1' },
  ) {
    return this.request<ApiVersionsResponse>(API_VERSIONS, version, body);
  }

  metadata(version: number, body: MetadataRequest) {
    return this.request<MetadataResponse>(METADATA, version, body);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
