/**
 * The cluster as the tools see it: a bootstrap list, one wire connection per broker opened on demand,
 * and Metadata for topic ids, leaders and the controller. An unreachable cluster becomes the one-line
 * message the Java clients log ("Connection to node -1 (localhost/127.0.0.1:9092) could not be
 * established"), numbering bootstrap servers -1, -2, ... as they do.
 */
import { lookup } from 'node:dns/promises';
import type { MetadataResponse } from '../protocol/generated/metadata';
import { CliError, UsageError } from './errors';
import { API, WireConnection } from './wire';

export interface HostPort {
  host: string;
  port: number;
}

const HOST_PORT = /^\s*(\[[^\]]+\]|[^:\s]+):(\d{1,5})\s*$/;

/** `host1:9092,host2:9092` (ToolsUtils.validateBootstrapServer's rule). */
export function parseBootstrap(list: string | undefined, option = '--bootstrap-server'): HostPort[] {
  if (list === undefined || list.trim() === '') throw new UsageError(`${option} must be specified`);
  return list.split(',').map((entry) => {
    const m = HOST_PORT.exec(entry);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535)
      throw new UsageError(
        `Please provide valid host:port like host1:9091,host2:9092 (got '${entry.trim()}')`,
      );
    return { host: m[1].replace(/^\[|\]$/g, ''), port };
  });
}

export function bootstrapString(servers: HostPort[]): string {
  return servers.map((s) => `${s.host}:${s.port}`).join(',');
}

async function describeAddress(s: HostPort): Promise<string> {
  try {
    const { address } = await lookup(s.host);
    return `${s.host}/${address}:${s.port}`;
  } catch {
    return `${s.host}:${s.port}`;
  }
}

export class Cluster {
  private readonly byNode = new Map<number, Promise<WireConnection>>();
  private brokers = new Map<number, HostPort>();
  controllerId = -1;
  clusterId: string | null = null;

  private constructor(
    readonly servers: HostPort[],
    readonly bootstrap: WireConnection,
  ) {}

  /** Opens the first reachable bootstrap server and reads the broker list. */
  static async connect(servers: HostPort[]): Promise<Cluster> {
    const failures: string[] = [];
    for (let i = 0; i < servers.length; i++) {
      const s = servers[i];
      try {
        const conn = await WireConnection.open(s.host, s.port);
        const cluster = new Cluster(servers, conn);
        await cluster.metadata([]);
        return cluster;
      } catch (e) {
        if (e instanceof CliError) throw e;
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
          failures.push(
            `Couldn't resolve server ${s.host}:${s.port} from bootstrap.servers as DNS resolution failed for ${s.host}`,
          );
        else
          failures.push(
            `Connection to node ${-(i + 1)} (${await describeAddress(s)}) could not be established. Node may not be available.`,
          );
      }
    }
    throw new CliError(failures.join(' '));
  }

  /** Metadata at the highest common version; `null` asks for every topic. Updates the broker list. */
  async metadata(topics: string[] | null, conn: WireConnection = this.bootstrap): Promise<MetadataResponse> {
    const v = conn.version(API.METADATA, 12);
    const body = {
      topics: topics === null ? (v === 0 ? [] : null) : topics.map((name) => ({ name })),
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    };
    const res = await conn.send<MetadataResponse>(API.METADATA, body, v);
    this.brokers = new Map(res.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
    this.controllerId = res.controllerId ?? -1;
    this.clusterId = res.clusterId ?? null;
    return res;
  }

  brokerIds(): number[] {
    return [...this.brokers.keys()].sort((a, b) => a - b);
  }

  broker(nodeId: number): HostPort | undefined {
    return this.brokers.get(nodeId);
  }

  /** A connection to one broker by id (the bootstrap connection when it is that broker). */
  node(nodeId: number): Promise<WireConnection> {
    let conn = this.byNode.get(nodeId);
    if (!conn) {
      const b = this.brokers.get(nodeId);
      if (!b) return Promise.reject(new CliError(`Broker ${nodeId} is not in the cluster metadata`));
      const same = b.host === this.bootstrap.host && b.port === this.bootstrap.port;
      conn = same
        ? Promise.resolve(this.bootstrap)
        : WireConnection.open(b.host, b.port).catch((e: Error) => {
            this.byNode.delete(nodeId);
            throw new CliError(
              `Connection to node ${nodeId} (${b.host}:${b.port}) could not be established: ${e.message}`,
            );
          });
      this.byNode.set(nodeId, conn);
    }
    return conn;
  }

  /**
   * Where admin requests go: the controller Metadata names (KRaft brokers forward to the quorum, so any
   * broker would do; the named one avoids NOT_CONTROLLER from older clusters).
   */
  async controller(): Promise<WireConnection> {
    if (this.controllerId >= 0 && this.brokers.has(this.controllerId)) return this.node(this.controllerId);
    return this.bootstrap;
  }

  close(): void {
    this.bootstrap.close();
    for (const c of this.byNode.values()) c.then((x) => x.close()).catch(() => {});
  }
}
