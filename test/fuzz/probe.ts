/**
 * Well-behaved requests beside the fuzz traffic: the liveness probe (ApiVersions on a fresh and on a
 * long-lived connection, each within a deadline), the broker's served API ranges, and Metadata for
 * the names and topic ids the synthesizer should use.
 */
import net, { type Socket } from 'node:net';
import type { ApiVersionsResponse } from '../../broker/protocol/generated/api-versions';
import type { DeleteTopicsResponse } from '../../broker/protocol/generated/delete-topics';
import { API_BY_KEY, ApiKey } from '../../broker/protocol/generated/index';
import type { MetadataResponse } from '../../broker/protocol/generated/metadata';
import { Reader } from '../../broker/protocol/reader';
import { framed, FrameSplitter, isFlexible } from './frames';
import { encodePayload } from './synth';
import type { ServedApi } from './cases';

export class ProbeConnection {
  private readonly splitter = new FrameSplitter();
  private readonly frames: Buffer[] = [];
  private waiter: (() => void) | null = null;
  private nextId = 1;
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      try {
        this.frames.push(...this.splitter.push(chunk));
      } catch {
        socket.destroy();
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(host: string, port: number, timeoutMs: number): Promise<ProbeConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', reject);
        resolve(new ProbeConnection(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** One request, its decoded response body; rejects on close, timeout or a malformed answer. */
  async request<T>(apiKey: number, version: number, body: unknown, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    this.socket.write(framed(encodePayload(apiKey, version, id, 'fuzz-probe', body)));
    return this.wait<T>(apiKey, version, id, Date.now() + timeoutMs);
  }

  private async wait<T>(apiKey: number, version: number, id: number, deadline: number): Promise<T> {
    const timeoutMs = deadline - Date.now();
    while (this.frames.length === 0) {
      if (this.closed) throw new Error('connection closed by the broker');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no answer within ${Math.max(0, timeoutMs)} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const frame = this.frames.shift()!;
    const r = new Reader(frame);
    const correlationId = r.int32();
    // The late answer to an earlier request that timed out: skip it and keep waiting for ours.
    if (correlationId < id) return this.wait<T>(apiKey, version, id, deadline);
    if (correlationId !== id) throw new Error(`correlation id ${correlationId}, expected ${id}`);
    if (apiKey !== ApiKey.ApiVersions && isFlexible(apiKey, version)) r.uvarint();
    return API_BY_KEY[apiKey]!.readResponse(r, version) as T;
  }

  apiVersions(timeoutMs: number): Promise<ApiVersionsResponse> {
    return this.request<ApiVersionsResponse>(
      ApiKey.ApiVersions,
      3,
      { clientSoftwareName: 'fuzz-probe', clientSoftwareVersion: '1' },
      timeoutMs,
    );
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Throws unless ApiVersions answers correctly: errorCode 0 and the ApiVersions range itself listed. */
export function checkApiVersions(res: ApiVersionsResponse): ServedApi[] {
  if (res.errorCode !== 0) throw new Error(`ApiVersions answered error ${res.errorCode}`);
  const own = res.apiKeys.find((k) => k.apiKey === ApiKey.ApiVersions);
  if (!own || own.maxVersion < 3) throw new Error('ApiVersions does not list ApiVersions v3');
  return res.apiKeys.map((k) => ({ apiKey: k.apiKey, minVersion: k.minVersion, maxVersion: k.maxVersion }));
}

/** A fresh connection's ApiVersions round trip in ms; throws past the deadline or on a wrong answer. */
export async function probeFresh(host: string, port: number, deadlineMs: number): Promise<number> {
  const started = Date.now();
  let c: ProbeConnection | undefined;
  try {
    c = await ProbeConnection.connect(host, port, deadlineMs);
    checkApiVersions(await c.apiVersions(Math.max(1, deadlineMs - (Date.now() - started))));
    return Date.now() - started;
  } catch (err) {
    throw new Error(`no correct ApiVersions answer within ${deadlineMs} ms (${(err as Error).message})`);
  } finally {
    c?.destroy();
  }
}

export async function servedApis(host: string, port: number): Promise<ServedApi[]> {
  const c = await ProbeConnection.connect(host, port, 5_000);
  try {
    return checkApiVersions(await c.apiVersions(5_000));
  } finally {
    c.destroy();
  }
}

export interface TopicInfo {
  name: string;
  topicId: string;
  partitions: number;
}

/** The topics the broker holds right now (names, ids, partition counts). */
export async function listTopics(c: ProbeConnection, timeoutMs = 5_000): Promise<TopicInfo[]> {
  const md = await c.request<MetadataResponse>(
    ApiKey.Metadata,
    12,
    { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false },
    timeoutMs,
  );
  return md.topics
    .filter((t) => typeof t.name === 'string')
    .map((t) => ({ name: t.name as string, topicId: t.topicId ?? '', partitions: t.partitions.length }));
}

export async function topicsOf(host: string, port: number): Promise<{ names: string[]; ids: string[] }> {
  const c = await ProbeConnection.connect(host, port, 5_000);
  try {
    const topics = await listTopics(c);
    return { names: topics.map((t) => t.name), ids: topics.map((t) => t.topicId).filter(Boolean) };
  } finally {
    c.destroy();
  }
}

/** DeleteTopics v4 for `names`, 100 at a time; returns how many were deleted. */
export async function deleteTopics(c: ProbeConnection, names: string[], timeoutMs = 30_000): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < names.length; i += 100) {
    const res = await c.request<DeleteTopicsResponse>(
      ApiKey.DeleteTopics,
      4,
      { topicNames: names.slice(i, i + 100), timeoutMs },
      timeoutMs,
    );
    deleted += res.responses.filter((r) => r.errorCode === 0).length;
  }
  return deleted;
}
