/**
 * Kafka framing helpers for the fuzzer: payload <-> size-prefixed wire bytes, a stream splitter that
 * tolerates any size prefix, and the request header fields read straight from the bytes (a mutated
 * header must not be parsed with the codec that the broker is being tested with).
 */
import { API_BY_KEY, ApiKey } from '../../broker/protocol/generated/index';

export function framed(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + payload.length);
  out.writeInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}

export interface HeaderPeek {
  apiKey: number;
  version: number;
  correlationId: number;
}

/** The first three header fields when the payload holds them, else null. */
export function peekHeader(payload: Buffer): HeaderPeek | null {
  if (payload.length < 8) return null;
  return {
    apiKey: payload.readInt16BE(0),
    version: payload.readInt16BE(2),
    correlationId: payload.readInt32BE(4),
  };
}

export function isFlexible(apiKey: number, version: number): boolean {
  const spec = API_BY_KEY[apiKey];
  return spec !== undefined && spec.flexibleMin >= 0 && version >= spec.flexibleMin;
}

/** Request header v2 (flexible) or v1, as the broker picks it; ControlledShutdown v0 aside. */
export function headerLength(payload: Buffer): number | null {
  const h = peekHeader(payload);
  if (!h || payload.length < 10) return null;
  const idLen = payload.readInt16BE(8);
  let end = 10 + Math.max(0, idLen);
  if (end > payload.length) return null;
  if (isFlexible(h.apiKey, h.version)) {
    if (end >= payload.length) return null;
    end += 1; // an empty tagged-field section is one 0 byte; anything else is left to the parser
  }
  return end;
}

/**
 * acks from a Produce request without decoding it: acks=0 gets no response (Kafka docs), so the
 * fuzzer must not wait for one. Returns null when the bytes do not say.
 */
export function produceAcks(payload: Buffer): number | null {
  const h = peekHeader(payload);
  if (!h || h.apiKey !== ApiKey.Produce) return null;
  const start = headerLength(payload);
  if (start === null) return null;
  let pos = start;
  if (h.version >= 3) {
    if (isFlexible(h.apiKey, h.version)) {
      const b = payload[pos];
      if (b === undefined || b >= 0x80) return null;
      pos += 1 + Math.max(0, b - 1);
    } else {
      if (pos + 2 > payload.length) return null;
      pos += 2 + Math.max(0, payload.readInt16BE(pos));
    }
  }
  if (pos + 2 > payload.length) return null;
  return payload.readInt16BE(pos);
}

/** Splits a byte stream into frames (payloads without the prefix); keeps the partial tail. */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (size < 0) throw new RangeError(`negative frame size ${size}`);
      if (this.pending.length < 4 + size) break;
      out.push(this.pending.subarray(4, 4 + size));
      this.pending = this.pending.subarray(4 + size);
    }
    return out;
  }
}

/** Hex dump, 32 bytes a line, for crash reports. */
export function hexDump(buf: Buffer, max = 4096): string {
  const lines: string[] = [];
  const n = Math.min(buf.length, max);
  for (let i = 0; i < n; i += 32) {
    lines.push(`${i.toString(16).padStart(6, '0')}  ${buf.subarray(i, Math.min(n, i + 32)).toString('hex')}`);
  }
  if (buf.length > max) lines.push(`... ${buf.length - max} more bytes`);
  return lines.join('\n');
}
