/**
 * Turns seeds into fuzz cases: one or more frames plus how they go over the wire. Frame-level
 * mutations (bytes, lengths, structure, API key/version swaps, header corruption, splices) come from
 * mutate-bytes/mutate-struct; this file adds what only exists on the wire: repeated frames, long
 * pipelines, random frames, size prefixes that lie, truncation followed by EOF, and writes split at
 * random points.
 */
import { API_BY_KEY } from '../../broker/protocol/generated/index';
import { apiLabel, type SeedFrame } from './corpus';
import { headerLength, peekHeader, produceAcks } from './frames';
import { BYTE_MUTATORS, type ByteMutatorName } from './mutate-bytes';
import { decodeRequest, encodeRequest, mutateStruct } from './mutate-struct';
import type { Rng } from './prng';
import { synthesize, type Vocabulary } from './synth';

export interface ServedApi {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface WireFrame {
  /** The frame as the broker's decoder will see it (when the size prefix tells the truth). */
  payload: Buffer;
  /** Bytes written for it: size prefix (possibly a lie) and payload. */
  wire: Buffer;
  /** The id written into the header (unique per run), or null when the payload is too short for one. */
  correlationId: number | null;
  /** Header fields as sent: the response is decoded with these. */
  apiKey: number;
  version: number;
  /** False for Produce acks=0 and for frames whose size prefix lies. */
  expectAnswer: boolean;
  mutated: boolean;
  /** Mutators applied, for the per-mutator figures. */
  ops: string[];
  source: string;
}

export interface FuzzCase {
  kind: string;
  frames: WireFrame[];
  /** The concatenated wire bytes, cut where the writes are split. */
  chunks: Buffer[];
  /** Half-close after writing (after a truncated frame: EOF must close the connection). */
  endAfter: boolean;
}

const BYTE_WEIGHTS: Record<ByteMutatorName, number> = {
  length: 4,
  bitflip: 3,
  byteset: 2,
  integer: 2,
  insert: 1,
  delete: 1,
  clone: 1,
  truncate: 1,
  append: 0.5,
};

const FRAME_WEIGHTS = { struct: 32, havoc: 43, apiSwap: 8, header: 7, splice: 5, none: 5 };
const CASE_WEIGHTS = { single: 72, repeat: 6, pipeline: 5, random: 4, sizeLie: 5, truncatedEof: 2, split: 6 };
/** Mutations stacked on a large seed stop growing it here (mutate-struct keeps to about 4 MB). */
const MAX_FRAME = 8 * 1024 * 1024;
/** Frames larger than this are not repeated (a 20-fold 13 MB frame measures memory, not parsing). */
const MAX_REPEATED_FRAME = 64 * 1024;
export const MAX_SOCKET_REQUEST_BYTES = 104_857_600;
const CREATE_TOPICS = 19;
const CREATE_PARTITIONS = 37;

interface CreatableTopic {
  numPartitions?: number;
  count?: number;
  assignments?: unknown[] | null;
}

/**
 * Known finding, held back on request: topic and partition creation is synchronous, about 1-3 ms per
 * partition here, so one CreateTopics/CreatePartitions naming thousands of partitions blocks the event
 * loop for seconds (a hang by the liveness rule) and 6,000+ exhaust a 20,000 file-descriptor limit.
 * With a cap, such requests are rewritten to ask for at most `cap` partitions in all, so a long run
 * looks for other problems; `cap` 0 sends them as mutated.
 */
export function capPartitions(payload: Buffer, cap: number): Buffer | null {
  if (cap <= 0 || payload.length < 2) return null;
  const apiKey = payload.readInt16BE(0);
  if (apiKey !== CREATE_TOPICS && apiKey !== CREATE_PARTITIONS) return null;
  const d = decodeRequest(payload);
  if (!d) return null;
  const topics = ((d.body.topics as CreatableTopic[] | null) ?? []).filter((t) => t && typeof t === 'object');
  const asked = (t: CreatableTopic) =>
    Math.max(t.assignments?.length ?? 0, apiKey === CREATE_TOPICS ? (t.numPartitions ?? 0) : (t.count ?? 0));
  if (topics.reduce((n, t) => n + Math.max(0, asked(t)), 0) <= cap) return null;
  const each = Math.max(1, Math.floor(cap / Math.max(1, topics.length)));
  for (const t of topics) {
    if (apiKey === CREATE_TOPICS && (t.numPartitions ?? 0) > each) t.numPartitions = each;
    if (apiKey === CREATE_PARTITIONS && (t.count ?? 0) > each) t.count = each;
    if (t.assignments && t.assignments.length > each) t.assignments = t.assignments.slice(0, each);
  }
  // Past `cap` topics even one partition each is too many: keep the first ones.
  if (topics.length > cap) d.body.topics = topics.slice(0, cap);
  return encodeRequest(d);
}

export class CaseFactory {
  private readonly byLabel = new Map<string, SeedFrame[]>();
  private readonly labels: string[];
  private readonly pairs: [number, number][] = [];
  private readonly unserved: number[];
  private readonly synthPool: SeedFrame[] = [];
  /** Frames whose partition counts capPartitions lowered. */
  capped = 0;

  constructor(
    private readonly rng: Rng,
    seeds: SeedFrame[],
    private readonly vocab: Vocabulary,
    private readonly served: ServedApi[],
    private readonly nextCorrelationId: () => number,
    /** See capPartitions; 0 = no cap. */
    private readonly partitionCap = 0,
  ) {
    for (const s of seeds) {
      const label = apiLabel(s.payload);
      const list = this.byLabel.get(label) ?? [];
      list.push(s);
      this.byLabel.set(label, list);
    }
    this.labels = [...this.byLabel.keys()];
    for (const a of served) for (let v = a.minVersion; v <= a.maxVersion; v++) this.pairs.push([a.apiKey, v]);
    const servedKeys = new Set(served.map((a) => a.apiKey));
    this.unserved = [...Array(API_BY_KEY.length).keys()].filter((k) => API_BY_KEY[k] && !servedKeys.has(k));
  }

  /** Every served API key at every version, synthesized once: the start of each run covers them all. */
  everyVersion(): SeedFrame[] {
    const out: SeedFrame[] = [];
    for (const [key, v] of this.pairs) {
      const payload = synthesize(this.rng, this.vocab, key, v);
      if (payload) out.push({ source: 'synth', payload });
    }
    return out;
  }

  private seed(): SeedFrame {
    if (this.labels.length > 0 && this.rng.chance(0.55))
      return this.rng.pick(this.byLabel.get(this.rng.pick(this.labels))!);
    if (this.synthPool.length >= 2_000 && this.rng.chance(0.6)) return this.rng.pick(this.synthPool);
    const [key, v] =
      this.rng.chance(0.04) && this.unserved.length > 0
        ? [this.rng.pick(this.unserved), 0]
        : this.rng.pick(this.pairs);
    const payload = synthesize(this.rng, this.vocab, key, v);
    if (!payload) return this.seed();
    const s = { source: 'synth', payload };
    if (this.synthPool.length < 2_000) this.synthPool.push(s);
    else this.synthPool[this.rng.int(2_000)] = s;
    return s;
  }

  private havoc(payload: Buffer, ops: string[]): Buffer {
    const name = this.rng.weighted(BYTE_WEIGHTS);
    ops.push(name);
    return BYTE_MUTATORS[name](this.rng, payload);
  }

  private apiSwap(payload: Buffer, ops: string[]): Buffer {
    if (payload.length < 4) return this.havoc(payload, ops);
    const out = Buffer.from(payload);
    const r = this.rng.int(4);
    if (r === 0) {
      const a = this.rng.pick(this.served);
      out.writeInt16BE(a.apiKey, 0);
      out.writeInt16BE(this.rng.range(a.minVersion, a.maxVersion), 2);
      ops.push('api-key');
    } else if (r === 1) {
      const a = this.served.find((x) => x.apiKey === out.readInt16BE(0)) ?? this.rng.pick(this.served);
      out.writeInt16BE(this.rng.range(a.minVersion, a.maxVersion), 2);
      ops.push('api-version');
    } else if (r === 2) {
      out.writeInt16BE(this.rng.pick([-1, -2, 0x7fff, -0x8000, 100, 9999]), this.rng.chance(0.5) ? 0 : 2);
      ops.push('api-bogus');
    } else {
      const a = this.served.find((x) => x.apiKey === out.readInt16BE(0));
      out.writeInt16BE(a ? a.maxVersion + this.rng.range(1, 3) : this.rng.int(40), 2);
      ops.push('api-version-above');
    }
    return out;
  }

  private headerCorrupt(payload: Buffer, ops: string[]): Buffer {
    ops.push('header');
    if (payload.length < 10) return this.havoc(payload, ops);
    const out = Buffer.from(payload);
    const r = this.rng.int(3);
    if (r === 0) {
      const len = out.readInt16BE(8);
      out.writeInt16BE(
        this.rng.pick([-1, -2, 0x7fff, -0x8000, Math.min(0x7fff, len + 1), Math.max(0, len - 1)]),
        8,
      );
      return out;
    }
    const end = headerLength(out);
    if (r === 1 && end !== null) {
      // The flexible header's tagged fields (or the first body byte) replaced by garbage.
      const junk = this.rng.chance(0.5)
        ? Buffer.from([this.rng.range(1, 4), this.rng.int(256), 0xff, 0xff])
        : this.rng.bytes(3);
      return Buffer.concat([out.subarray(0, end - 1), junk, out.subarray(end)]);
    }
    const id = this.rng.bytes(this.rng.size(300));
    const head = Buffer.alloc(10);
    out.copy(head, 0, 0, 8);
    head.writeInt16BE(id.length, 8);
    const rest =
      end === null
        ? Buffer.alloc(0)
        : out.subarray(Math.min(out.length, 10 + Math.max(0, out.readInt16BE(8))));
    return Buffer.concat([head, id, rest]);
  }

  private splice(payload: Buffer, ops: string[]): Buffer {
    ops.push('splice');
    const other = this.seed().payload;
    const end = headerLength(payload);
    const otherEnd = headerLength(other);
    if (end !== null && otherEnd !== null && this.rng.chance(0.5)) {
      return Buffer.concat([payload.subarray(0, end), other.subarray(otherEnd)]);
    }
    return Buffer.concat([
      payload.subarray(0, this.rng.int(payload.length + 1)),
      other.subarray(this.rng.int(other.length + 1)),
    ]);
  }

  /** One frame: a seed with a stack of frame-level mutations (or none, now and then). */
  frame(light = false): WireFrame {
    const seed = this.seed();
    let payload = seed.payload;
    const ops: string[] = [];
    const rounds = light ? 1 : this.rng.chance(0.8) ? 1 : this.rng.range(2, 4);
    for (let i = 0; i < rounds; i++) {
      // Light frames (most of a pipeline) are well-formed, so one bad frame does not waste the rest.
      const strategy = light ? (this.rng.chance(0.5) ? 'none' : 'struct') : this.rng.weighted(FRAME_WEIGHTS);
      if (strategy === 'struct') {
        const out = mutateStruct(this.rng, this.vocab, payload);
        if (out) {
          payload = out;
          ops.push('struct');
        } else if (!light) payload = this.havoc(payload, ops);
      } else if (strategy === 'havoc') payload = this.havoc(payload, ops);
      else if (strategy === 'apiSwap') payload = this.apiSwap(payload, ops);
      else if (strategy === 'header') payload = this.headerCorrupt(payload, ops);
      else if (strategy === 'splice') payload = this.splice(payload, ops);
    }
    if (payload.length > MAX_FRAME) payload = payload.subarray(0, MAX_FRAME);
    const capped = capPartitions(payload, this.partitionCap);
    if (capped) {
      payload = capped;
      this.capped++;
    }
    return this.seal(payload, ops, seed.source);
  }

  /** Writes a fresh correlation id and the true size prefix. */
  seal(payload: Buffer, ops: string[], source: string): WireFrame {
    let correlationId: number | null = null;
    if (payload.length >= 8) {
      payload = Buffer.from(payload); // it may still be the seed's own buffer
      correlationId = this.nextCorrelationId();
      payload.writeInt32BE(correlationId, 4);
    }
    const h = peekHeader(payload);
    const wire = Buffer.allocUnsafe(4 + payload.length);
    wire.writeInt32BE(payload.length, 0);
    payload.copy(wire, 4);
    const acks = produceAcks(payload);
    return {
      payload,
      wire,
      correlationId,
      apiKey: h?.apiKey ?? -1,
      version: h?.version ?? -1,
      expectAnswer: acks !== 0,
      mutated: ops.length > 0,
      ops,
      source,
    };
  }

  private randomFrame(): WireFrame {
    const n = this.rng.chance(0.8) ? this.rng.size(200) : this.rng.range(200, 20_000);
    const payload = this.rng.bytes(n);
    if (n >= 4 && this.rng.chance(0.5)) {
      const a = this.rng.pick(this.served);
      payload.writeInt16BE(a.apiKey, 0);
      payload.writeInt16BE(this.rng.range(a.minVersion, a.maxVersion), 2);
    }
    return this.seal(payload, ['random'], 'random');
  }

  next(): FuzzCase {
    const kind = this.rng.weighted(CASE_WEIGHTS);
    let frames: WireFrame[];
    let endAfter = false;
    switch (kind) {
      case 'repeat': {
        const light = this.rng.chance(0.8);
        const f = this.frame(light);
        const n =
          f.wire.length > MAX_REPEATED_FRAME ? 1 : light ? this.rng.range(2, 20) : this.rng.range(2, 3);
        frames = [f];
        for (let i = 1; i < n; i++)
          frames.push(this.seal(Buffer.from(f.payload), [...f.ops, 'repeat'], f.source));
        break;
      }
      case 'pipeline': {
        const n = this.rng.range(3, 20);
        frames = [];
        for (let i = 0; i < n; i++) frames.push(this.frame(i < n - 1 || this.rng.chance(0.5)));
        break;
      }
      case 'random':
        frames = [this.randomFrame()];
        break;
      case 'sizeLie': {
        const f = this.frame(true);
        const len = f.payload.length;
        const size = this.rng.pick([
          -1,
          -0x8000_0000,
          0x7fff_ffff,
          MAX_SOCKET_REQUEST_BYTES + 1,
          0,
          len + 1,
          len + this.rng.range(2, 100),
          Math.max(0, len - 1),
          Math.max(0, len - this.rng.range(2, 8)),
        ]);
        f.wire.writeInt32BE(size, 0);
        f.ops.push('size-prefix');
        f.mutated = true;
        f.expectAnswer = false;
        frames = [f];
        // A prefix that promises more than comes would leave the broker waiting: EOF ends that.
        endAfter = size > len && size <= MAX_SOCKET_REQUEST_BYTES;
        break;
      }
      case 'truncatedEof': {
        const f = this.frame(true);
        f.wire = f.wire.subarray(0, this.rng.int(f.wire.length));
        f.ops.push('truncated-eof');
        f.mutated = true;
        f.expectAnswer = false;
        frames = [f];
        endAfter = true;
        break;
      }
      default:
        frames = [this.frame()];
    }
    const bytes = frames.length === 1 ? frames[0].wire : Buffer.concat(frames.map((f) => f.wire));
    const chunks = kind === 'split' || this.rng.chance(0.05) ? this.split(bytes) : [bytes];
    return { kind, frames, chunks, endAfter };
  }

  /** The same bytes in several writes: frame boundaries, size prefixes and headers cut apart. */
  private split(bytes: Buffer): Buffer[] {
    if (bytes.length < 2) return [bytes];
    if (bytes.length <= 64 && this.rng.chance(0.2)) return [...bytes].map((b) => Buffer.from([b]));
    const cuts = new Set<number>();
    const n = this.rng.range(1, 8);
    for (let i = 0; i < n; i++)
      cuts.add(
        this.rng.chance(0.3)
          ? this.rng.range(1, Math.min(5, bytes.length - 1))
          : this.rng.range(1, bytes.length - 1),
      );
    const sorted = [...cuts].sort((a, b) => a - b);
    const out: Buffer[] = [];
    let prev = 0;
    for (const c of sorted) {
      out.push(bytes.subarray(prev, c));
      prev = c;
    }
    out.push(bytes.subarray(prev));
    return out;
  }
}
