/**
 * One fuzz connection: writes a case (split writes, half-close), matches answers to frames by
 * correlation id, checks that they come back in request order, and settles a case as answered,
 * closed by the broker, or quiet (no byte for the quiet time).
 */
import net, { type Socket } from 'node:net';
import type { FuzzCase, WireFrame } from './cases';
import { FrameSplitter } from './frames';
import type { Outcome } from './stats';

export interface Sent {
  frame: WireFrame;
  answered: boolean;
  writtenAt: number;
}

/** One client connection; answers are matched to frames by correlation id, order is checked. */
export class FuzzConnection {
  readonly sent = new Map<number, Sent>();
  private readonly order: Sent[] = [];
  private readonly splitter = new FrameSplitter();
  private waiter: (() => void) | null = null;
  lastAnswerIndex = -1;
  closed = false;
  lastByteAt = Date.now();
  /**
   * Set once a size prefix that lies went out: the broker then reads frame boundaries where the
   * fuzzer put none, and may well answer a "request" whose correlation id nobody assigned.
   */
  sizeLied = false;

  constructor(
    readonly socket: Socket,
    private readonly onAnswer: (
      sent: Sent | undefined,
      frame: Buffer,
      outOfOrder: boolean,
      afterLie: boolean,
    ) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.lastByteAt = Date.now();
      let frames: Buffer[];
      try {
        frames = this.splitter.push(chunk);
      } catch {
        frames = [];
        onAnswer(undefined, chunk, false, this.sizeLied);
        socket.destroy();
      }
      for (const f of frames) this.answer(f);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private answer(frame: Buffer): void {
    const id = frame.length >= 4 ? frame.readInt32BE(0) : NaN;
    const sent = this.sent.get(id);
    if (!sent || sent.answered) {
      this.onAnswer(undefined, frame, false, this.sizeLied);
      return;
    }
    sent.answered = true;
    const index = this.order.indexOf(sent);
    const outOfOrder = index < this.lastAnswerIndex;
    this.lastAnswerIndex = Math.max(this.lastAnswerIndex, index);
    this.onAnswer(sent, frame, outOfOrder, this.sizeLied);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  async write(c: FuzzCase): Promise<Sent[]> {
    const out: Sent[] = [];
    for (const frame of c.frames) {
      if (frame.wire.length < 4 || frame.wire.readInt32BE(0) !== frame.payload.length) this.sizeLied = true;
      const s: Sent = { frame, answered: false, writtenAt: Date.now() };
      out.push(s);
      this.order.push(s);
      if (frame.correlationId !== null) this.sent.set(frame.correlationId, s);
    }
    for (let i = 0; i < c.chunks.length && !this.closed; i++) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      this.socket.write(c.chunks[i]);
    }
    if (c.endAfter && !this.closed) this.socket.end();
    return out;
  }

  /** Waits until every frame that expects an answer has one, the broker closes, or quietMs passes. */
  async settle(frames: Sent[], quietMs: number): Promise<'answered' | 'closed' | 'quiet'> {
    this.lastByteAt = Date.now();
    for (;;) {
      if (frames.every((s) => s.answered || !s.frame.expectAnswer)) return 'answered';
      if (this.closed) return 'closed';
      const left = this.lastByteAt + quietMs - Date.now();
      if (left <= 0) return 'quiet';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Settled frames leave the maps; a long-lived connection must not grow them without bound. */
  forget(frames: Sent[]): void {
    for (const s of frames) if (s.frame.correlationId !== null) this.sent.delete(s.frame.correlationId);
    const last = this.order.indexOf(frames[frames.length - 1]);
    if (last >= 0) {
      this.order.splice(0, last + 1);
      this.lastAnswerIndex -= last + 1;
    }
  }

  waitClosed(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export function connect(host: string, port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(null));
  });
}

/** Per-frame outcomes once a case is over: which frame the close belongs to, which were never read. */
export function outcomes(frames: Sent[], end: 'answered' | 'closed' | 'quiet'): Outcome[] {
  let lastAnswered = -1;
  frames.forEach((s, i) => {
    if (s.answered) lastAnswered = i;
  });
  return frames.map((s, i) => {
    if (s.answered) return 'answered';
    if (end === 'answered' || i < lastAnswered) return 'no-answer';
    if (end === 'quiet') return 'quiet'; // read and dispatched, answers held back behind a slow one
    return i === lastAnswered + 1 ? 'closed' : 'dropped';
  });
}
