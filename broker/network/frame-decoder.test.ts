import { describe, expect, it } from 'vitest';
import { FrameDecoder, InvalidReceiveError } from './frame-decoder';

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}

function drain(decoder: FrameDecoder): Buffer[] {
  const out: Buffer[] = [];
  for (let f = decoder.next(); f !== null; f = decoder.next()) out.push(Buffer.from(f));
  return out;
}

const payloads = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('hello world'), Buffer.alloc(300, 7)];
const stream = Buffer.concat(payloads.map(frame));

describe('FrameDecoder', () => {
  it('decodes frames split byte by byte', () => {
    const decoder = new FrameDecoder(1024);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) {
      decoder.push(stream.subarray(i, i + 1));
      out.push(...drain(decoder));
    }
    expect(out).toEqual(payloads);
    expect(decoder.hasPartialFrame).toBe(false);
  });

  it('decodes many frames from one chunk and at every split point', () => {
    for (let split = 0; split <= stream.length; split++) {
      const decoder = new FrameDecoder(1024);
      decoder.push(stream.subarray(0, split));
      const out = drain(decoder);
      decoder.push(stream.subarray(split));
      out.push(...drain(decoder));
      expect(out).toEqual(payloads);
    }
  });

  it('returns a zero-copy view when the frame lies in one chunk and a copy when it spans chunks', () => {
    const decoder = new FrameDecoder(1_000_000);
    const chunk = frame(Buffer.from('abc'));
    decoder.push(chunk);
    const view = decoder.next();
    expect(view?.buffer).toBe(chunk.buffer);
    expect(view?.toString()).toBe('abc');

    const big = Buffer.alloc(100_000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    const bytes = frame(big);
    for (let i = 0; i < bytes.length; i += 4096) decoder.push(bytes.subarray(i, i + 4096));
    const copy = decoder.next();
    expect(copy?.equals(big)).toBe(true);
    expect(decoder.next()).toBeNull();
  });

  it('reports a partial frame, including a partial size prefix', () => {
    const decoder = new FrameDecoder(1024);
    expect(decoder.hasPartialFrame).toBe(false);
    decoder.push(Buffer.from([0, 0]));
    expect(decoder.next()).toBeNull();
    expect(decoder.hasPartialFrame).toBe(true);
    decoder.push(Buffer.from([0, 2, 9]));
    expect(decoder.next()).toBeNull();
    expect(decoder.hasPartialFrame).toBe(true);
    decoder.push(Buffer.from([8]));
    expect(decoder.next()).toEqual(Buffer.from([9, 8]));
    expect(decoder.hasPartialFrame).toBe(false);
  });

  it('accepts a frame of exactly the maximum size and rejects one byte more before its body arrives', () => {
    const ok = new FrameDecoder(10);
    ok.push(frame(Buffer.alloc(10)));
    expect(ok.next()?.length).toBe(10);

    const tooBig = new FrameDecoder(10);
    tooBig.push(Buffer.from([0, 0, 0, 11]));
    expect(() => tooBig.next()).toThrow(InvalidReceiveError);
  });

  it('rejects a negative size', () => {
    const decoder = new FrameDecoder(1024);
    decoder.push(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    let caught: unknown;
    try {
      decoder.next();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidReceiveError);
    expect((caught as InvalidReceiveError).size).toBe(-2);
  });
});
