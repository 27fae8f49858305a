/** Shared types of the network layer; server.ts re-exports them as the public surface. */

export interface NetworkLimits {
  /** Kafka socket.request.max.bytes: larger (or negative) declared frame sizes close the connection. */
  socketRequestMaxBytes: number;
  /** Kafka connections.max.idle.ms; <= 0 disables the idle check (Kafka uses -1 for that). */
  connectionsMaxIdleMs: number;
  /** Requests dispatched but not yet answered before we stop reading the socket. */
  maxInFlightPerConnection: number;
}

export const DEFAULT_NETWORK_LIMITS: Readonly<NetworkLimits> = Object.freeze({
  socketRequestMaxBytes: 104_857_600,
  connectionsMaxIdleMs: 600_000,
  maxInFlightPerConnection: 100,
});

export interface ConnectionInfo {
  id: number;
  remoteAddress: string;
  remotePort: number;
  localPort: number;
}

/**
 * Called once per complete frame (payload without the 4-byte size prefix; it may be a view of the read
 * buffer, never reused by the server, so the dispatcher may keep it). Returns the response payload as
 * one or more Buffers without the size prefix, or null when no response is sent (Kafka produce acks=0).
 * Throwing (sync or async) closes this connection only.
 */
export type Dispatcher = (frame: Buffer, conn: ConnectionInfo) => Promise<Buffer[] | null> | Buffer[] | null;

export interface NetworkLogger {
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}
