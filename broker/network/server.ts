/**
 * TCP listener for Kafka's framing. Protocol-agnostic: each complete frame goes to a dispatcher, which
 * decodes the request header and picks the API handler; this layer only guarantees framing, in-order
 * responses, back-pressure and the socket.request.max.bytes / connections.max.idle.ms limits.
 */
import net, { type AddressInfo } from 'node:net';
import { Connection } from './connection';
import {
  DEFAULT_NETWORK_LIMITS,
  type ConnectionInfo,
  type Dispatcher,
  type NetworkLimits,
  type NetworkLogger,
} from './types';

export { DEFAULT_NETWORK_LIMITS };
export type { ConnectionInfo, Dispatcher, NetworkLimits, NetworkLogger };

export interface NetworkServer {
  host: string;
  port: number;
  close(): Promise<void>;
  connectionCount(): number;
}

export interface NetworkServerOptions {
  host: string;
  /** 0 picks a free port; the real one is reported in NetworkServer.port. */
  port: number;
  limits?: Partial<NetworkLimits>;
  dispatch: Dispatcher;
  logger?: NetworkLogger;
}

const SILENT: NetworkLogger = { warn() {} };

export async function startNetworkServer(opts: NetworkServerOptions): Promise<NetworkServer> {
  const limits: NetworkLimits = { ...DEFAULT_NETWORK_LIMITS, ...definedOnly(opts.limits) };
  const logger = opts.logger ?? SILENT;
  const connections = new Set<Connection>();
  let nextId = 0;
  let closing: Promise<void> | undefined;

  const server = net.createServer({ noDelay: true }, (socket) => {
    const { remoteAddress, remotePort, localPort } = socket;
    // A peer that reset before we got to accept it has no address left; nothing to serve.
    if (closing || remoteAddress === undefined || remotePort === undefined || localPort === undefined) {
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    const info: ConnectionInfo = { id: ++nextId, remoteAddress, remotePort, localPort };
    const conn = new Connection(socket, info, limits, opts.dispatch, logger, () => connections.delete(conn));
    connections.add(conn);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Accept failures (EMFILE) surface here; without a listener they would crash the process.
  server.on('error', (err) => logger.warn({ err }, 'network server error'));

  const { port } = server.address() as AddressInfo;
  return {
    host: opts.host,
    port,
    connectionCount: () => connections.size,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // server.close only stops accepting and waits for open sockets, so they are destroyed here.
        server.close(() => resolve());
        for (const conn of connections) conn.destroy();
      });
      return closing;
    },
  };
}

/** `{ ...defaults, ...partial }` would let an explicit `undefined` erase a default. */
function definedOnly(limits: Partial<NetworkLimits> | undefined): Partial<NetworkLimits> {
  const out: Partial<NetworkLimits> = {};
  if (!limits) return out;
  for (const key of Object.keys(limits) as (keyof NetworkLimits)[]) {
    const value = limits[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
