/**
 * A small Kafka wire client on the generated codecs, for what kafkajs does not expose: topic ids and
 * internal flags (Metadata v10+), broker error messages on CreateTopics/DeleteTopics/CreatePartitions,
 * IncrementalAlterConfigs (KIP-339), DescribeConfigs synonyms, FindCoordinator, DescribeTopicPartitions
 * (KIP-966). One connection per broker; versions are negotiated with ApiVersions first (KIP-35), and
 * request header v2 / response header v1 are used for flexible versions (KIP-482).
 */
import net from 'node:net';
import type { ApiVersionsResponse } from '../protocol/generated/api-versions';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { codec as spec } from './codecs';
import { CliError } from './errors';

export const API = {
  LIST_OFFSETS: 2,
  METADATA: 3,
  OFFSET_COMMIT: 8,
  OFFSET_FETCH: 9,
  FIND_COORDINATOR: 10,
  DESCRIBE_GROUPS: 15,
  LIST_GROUPS: 16,
  API_VERSIONS: 18,
  CREATE_TOPICS: 19,
  DELETE_TOPICS: 20,
  DESCRIBE_CONFIGS: 32,
  CREATE_PARTITIONS: 37,
  DELETE_GROUPS: 42,
  INCREMENTAL_ALTER_CONFIGS: 44,
  DESCRIBE_CLUSTER: 60,
  DESCRIBE_TOPIC_PARTITIONS: 75,
} as const;

const CLIENT_ID = 'kafka-cli';
const UNSUPPORTED_VERSION = 35;

const isFlexible = (apiKey: number, v: number) =>
  spec(apiKey).flexibleMin >= 0 && v >= spec(apiKey).flexibleMin;

interface Pending {
  apiKey: number;
  version: number;
  resolve(body: unknown): void;
  reject(err: Error): void;
}

export class WireConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, Pending>();
  private nextCorrelationId = 1;
  private versions = new Map<number, { min: number; max: number }>();
  private closedError: Error | null = null;

  private constructor(
    private readonly socket: net.Socket,
    readonly host: string,
    readonly port: number,
    private readonly requestTimeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(new CliError(`Connection to ${host}:${port} failed: ${e.message}`)));
    socket.on('close', () =>
      this.fail(new CliError(`Connection to ${host}:${port} was closed by the broker`)),
    );
  }

  /** Connects and negotiates versions; rejects with Node's socket error (ECONNREFUSED, timeout). */
  static async open(host: string, port: number, connectTimeoutMs = 10_000, requestTimeoutMs = 30_000) {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(
          Object.assign(new Error(`connect timed out after ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' }),
        );
      }, connectTimeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const conn = new WireConnection(socket, host, port, requestTimeoutMs);
    try {
      await conn.negotiate();
    } catch (e) {
      conn.close();
      throw e;
    }
    return conn;
  }

  /** The highest version both sides speak (capped at `cap`), or -1 when the broker lacks the API. */
  version(apiKey: number, cap = Number.MAX_SAFE_INTEGER): number {
    const theirs = this.versions.get(apiKey);
    if (!theirs) return -1;
    const v = Math.min(theirs.max, spec(apiKey).maxVersion, cap);
    return v >= Math.max(theirs.min, spec(apiKey).minVersion) ? v : -1;
  }

  supports(apiKey: number): boolean {
    return this.version(apiKey) >= 0;
  }

  /** Sends a request at the negotiated version (or `version`) and decodes the response body. */
  async send<Res>(apiKey: number, body: unknown, version = this.version(apiKey)): Promise<Res> {
    if (version < 0)
      throw new CliError(`The broker at ${this.host}:${this.port} does not support ${spec(apiKey).name}`);
    return (await this.request(apiKey, version, body)) as Res;
  }

  close(): void {
    this.closedError ??= new CliError('connection closed');
    this.socket.destroy();
  }

  private async negotiate(): Promise<void> {
    let res = (await this.request(API.API_VERSIONS, 3, {
      clientSoftwareName: 'kafka-cli',
      clientSoftwareVersion: '1.0',
    })) as ApiVersionsResponse;
    // A broker without v3 answers UNSUPPORTED_VERSION with its own ranges in a v0 body.
    if (res.errorCode === UNSUPPORTED_VERSION)
      res = (await this.request(API.API_VERSIONS, 0, {})) as ApiVersionsResponse;
    if (res.errorCode !== 0) throw new CliError(`ApiVersions failed with error code ${res.errorCode}`);
    this.versions = new Map(res.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
  }

  private request(apiKey: number, version: number, body: unknown): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const correlationId = this.nextCorrelationId++;
    const w = new Writer();
    w.int32(0).int16(apiKey).int16(version).int32(correlationId).nullableString(CLIENT_ID);
    if (isFlexible(apiKey, version)) w.uvarint(0);
    spec(apiKey).writeRequest(w, version, body as never);
    const frame = Buffer.from(w.toBuffer());
    frame.writeInt32BE(frame.length - 4, 0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new CliError(`${spec(apiKey).name} to ${this.host}:${this.port} timed out`));
      }, this.requestTimeoutMs);
      this.pending.set(correlationId, {
        apiKey,
        version,
        resolve: (b) => {
          clearTimeout(timer);
          resolve(b);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.socket.write(frame);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) break;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    const r = new Reader(frame);
    const correlationId = r.int32();
    const p = this.pending.get(correlationId);
    if (!p) return;
    this.pending.delete(correlationId);
    try {
      // ApiVersions always answers with response header v0 (KIP-511), whatever the request version.
      if (p.apiKey !== API.API_VERSIONS && isFlexible(p.apiKey, p.version)) {
        for (let n = r.uvarint(); n > 0; n--) {
          r.uvarint(); // tag
          r.rawBytes(r.uvarint());
        }
      }
      p.resolve(spec(p.apiKey).readResponse(r, p.version));
    } catch (e) {
      p.reject(new CliError(`could not decode the ${spec(p.apiKey).name} response: ${(e as Error).message}`));
    }
  }

  private fail(e: Error): void {
    if (this.closedError && this.pending.size === 0) return;
    this.closedError ??= e;
    for (const p of this.pending.values()) p.reject(this.closedError);
    this.pending.clear();
  }
}
