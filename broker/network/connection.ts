/**
 * One client connection: framing, in-order responses, back-pressure, idle expiry.
 *
 * Kafka clients pipeline requests and match responses by correlation id, but the protocol promises that
 * responses come back in request order on a connection (Kafka docs, "The Protocol": "the server
 * guarantees that on a single TCP connection, requests will be processed in the order they are sent and
 * responses will return in that order as well"). Handlers are dispatched in arrival order and may finish
 * out of order, so each request gets a slot in a FIFO and only the completed head of the FIFO is written.
 *
 * Reading stops (socket.pause) while the FIFO holds maxInFlightPerConnection requests or while
 * socket.write reports a full buffer, so a client that pipelines without reading costs at most
 * maxInFlightPerConnection responses plus one socket read of memory, never an unbounded queue.
 */
import type { Socket } from 'node:net';
import { FrameDecoder, InvalidReceiveError } from './frame-decoder';
import type { ConnectionInfo, Dispatcher, NetworkLimits, NetworkLogger } from './types';

interface Slot {
  done: boolean;
  /** null: no response owed (produce acks=0); the slot still holds its place until it completes. */
  response: Buffer[] | null;
}

const MAX_FRAME_SIZE = 0x7fff_ffff;
/** Node turns longer timer delays into 1 ms (TimeoutOverflowWarning); Kafka users may set Long.MAX_VALUE. */
const MAX_TIMER_MS = 0x7fff_ffff;

function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

export class Connection {
  private readonly decoder: FrameDecoder;
  private readonly slots: Slot[] = [];
  private readonly maxInFlight: number;
  private readonly idleMs: number;
  private writeBlocked = false;
  private readPaused = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    readonly info: ConnectionInfo,
    limits: NetworkLimits,
    private readonly dispatch: Dispatcher,
    private readonly logger: NetworkLogger,
    onClose: () => void,
  ) {
    this.decoder = new FrameDecoder(limits.socketRequestMaxBytes);
    this.maxInFlight = Math.max(1, limits.maxInFlightPerConnection);
    this.idleMs = Math.min(limits.connectionsMaxIdleMs, MAX_TIMER_MS);
    socket.setNoDelay(true);
    // Kafka's Acceptor sets SO_KEEPALIVE too, so dead peers are noticed even on quiet connections.
    socket.setKeepAlive(true);
    // One timer per socket, refreshed by Node on every read and write: no per-request timers.
    if (this.idleMs > 0) socket.setTimeout(this.idleMs);
    socket.on('data', (chunk: Buffer) => {
      this.decoder.push(chunk);
      this.pump();
    });
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.pump();
    });
    socket.on('timeout', () => this.onIdle());
    socket.on('end', () => this.onEnd());
    // ECONNRESET and friends are routine client behaviour; 'close' follows and does the cleanup.
    socket.on('error', (err) => this.logger.debug?.({ conn: this.info, err }, 'socket error'));
    socket.on('close', () => {
      this.closed = true;
      this.slots.length = 0;
      onClose();
    });
  }

  get inFlight(): number {
    return this.slots.length;
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.slots.length = 0;
    this.socket.destroy();
  }

  /** Dispatches buffered frames while the limits allow, then pauses or resumes the socket to match. */
  private pump(): void {
    if (this.closed) return;
    // Corked so that many small pipelined responses completed in this turn leave in one writev.
    this.socket.cork();
    try {
      while (!this.closed && !this.writeBlocked && this.slots.length < this.maxInFlight) {
        const frame = this.decoder.next();
        if (frame === null) break;
        this.dispatchFrame(frame);
      }
    } catch (err) {
      this.fail(err);
    }
    if (this.closed) return;
    this.socket.uncork();
    const wantRead = !this.writeBlocked && this.slots.length < this.maxInFlight;
    if (wantRead === this.readPaused) {
      this.readPaused = !wantRead;
      if (wantRead) this.socket.resume();
      else this.socket.pause();
    }
  }

  private dispatchFrame(frame: Buffer): void {
    const slot: Slot = { done: false, response: null };
    this.slots.push(slot);
    const result = this.dispatch(frame, this.info);
    if (!isPromiseLike<Buffer[] | null>(result)) {
      this.complete(slot, result);
      return;
    }
    result.then(
      (response) => {
        try {
          this.complete(slot, response);
        } catch (err) {
          this.fail(err);
        }
        this.pump();
      },
      (err: unknown) => this.fail(err),
    );
  }

  private complete(slot: Slot, response: Buffer[] | null): void {
    if (this.closed) return;
    slot.done = true;
    slot.response = response;
    if (this.slots[0] !== slot) return;
    this.socket.cork();
    while (this.slots.length > 0 && this.slots[0].done) {
      const head = this.slots.shift() as Slot;
      if (head.response !== null) this.writeResponse(head.response);
    }
    this.socket.uncork();
  }

  /** Writes even when already blocked: the response exists in memory either way, and bounded by maxInFlight. */
  private writeResponse(parts: Buffer[]): void {
    let size = 0;
    for (const part of parts) size += part.length;
    if (size > MAX_FRAME_SIZE)
      throw new RangeError(`response of ${size} bytes exceeds the int32 size prefix`);
    const prefix = Buffer.allocUnsafe(4);
    prefix.writeInt32BE(size, 0);
    let ok = this.socket.write(prefix);
    for (const part of parts) if (part.length > 0) ok = this.socket.write(part);
    if (!ok) this.writeBlocked = true;
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    if (err instanceof InvalidReceiveError) {
      // Kafka's Selector logs InvalidReceiveException and closes only this channel.
      this.logger.warn({ conn: this.info, size: err.size, max: err.maxBytes }, err.message);
    } else {
      this.logger.warn({ conn: this.info, err }, 'request dispatch failed; closing connection');
    }
    this.destroy();
  }

  /**
   * connections.max.idle.ms counts silence in both directions. A connection still owed a response is not
   * idle by our reading (the broker is the one keeping it silent), so the check is re-armed instead.
   */
  private onIdle(): void {
    if (this.closed) return;
    if (this.slots.length > 0) {
      this.socket.setTimeout(this.idleMs);
      return;
    }
    this.logger.debug?.({ conn: this.info, idleMs: this.idleMs }, 'closing idle connection');
    this.destroy();
  }

  /** Like Kafka, EOF closes the channel; a truncated frame is simply dropped with it. */
  private onEnd(): void {
    if (this.decoder.hasPartialFrame) this.logger.debug?.({ conn: this.info }, 'EOF inside a frame');
    this.destroy();
  }
}
