/**
 * Requests for every API key and version, made from the generated codecs with random field values.
 *
 * The trick: the generated readRequest walks a message's schema for a version (which fields exist,
 * their types, nullability, arrays, tagged fields), pulling each value from a Reader. A Reader that
 * invents values instead of reading them makes readRequest build a random but well-typed request
 * object; writeRequest then encodes it. No schema has to be copied or re-parsed.
 */
import { API_BY_KEY, ApiKey } from '../../broker/protocol/generated/index';
import { requestHeaderVersion } from '../../broker/protocol/header';
import { writeRequestHeader } from '../../broker/protocol/generated/request-header';
import { Reader } from '../../broker/protocol/reader';
import { Compression, encodeBatch, type RecordInput } from '../../broker/protocol/records/index';
import { Writer } from '../../broker/protocol/writer';
import type { Rng } from './prng';

/** Names and ids that exist on the broker (or appear in captured requests), so requests reach past lookups. */
export interface Vocabulary {
  strings: string[];
  /** Topic ids in the codec's string form (22 characters of base64url). */
  uuids: string[];
}

const INT32_EDGES = [-1, 0, 1, 2, 3, 100, 1000, 30_000, 65_536, 1_048_576, 0x7fff_ffff, -0x8000_0000, -2];
const INT64_EDGES = [-1n, 0n, 1n, -2n, 0x7fff_ffff_ffff_ffffn, -0x8000_0000_0000_0000n, 0x8000_0000n];
const ODD_STRINGS = [
  '',
  '.',
  '..',
  '__consumer_offsets',
  'a/b',
  'tópico',
  '\u0000',
  ' ',
  '*',
  'x'.repeat(250),
];

function randomText(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++)
    s += String.fromCharCode(rng.chance(0.9) ? 0x61 + rng.int(26) : 0x20 + rng.int(95));
  return s;
}

export function randomUuid(rng: Rng): string {
  return rng.bytes(16).toString('base64url');
}

function randomBatch(rng: Rng, vocab: Vocabulary): Buffer {
  const n = rng.chance(0.8) ? rng.range(1, 5) : rng.range(0, 200);
  const records: RecordInput[] = [];
  for (let i = 0; i < n; i++) {
    records.push({
      key: rng.chance(0.3)
        ? null
        : Buffer.from(rng.chance(0.5) ? rng.pick(vocab.strings) : randomText(rng, 8)),
      value: rng.chance(0.05) ? null : rng.bytes(rng.size(300)),
      headers: rng.chance(0.3) ? [{ key: 'h', value: rng.chance(0.5) ? null : rng.bytes(4) }] : [],
    });
  }
  const idempotent = rng.chance(0.3);
  return encodeBatch({
    records,
    compression: rng.pick([
      Compression.None,
      Compression.Gzip,
      Compression.Snappy,
      Compression.Lz4,
      Compression.Zstd,
    ]),
    producerId: idempotent ? BigInt(rng.int(5)) : -1n,
    producerEpoch: idempotent ? rng.int(3) : -1,
    baseSequence: idempotent ? rng.int(100) : -1,
    transactional: idempotent && rng.chance(0.3),
  });
}

/** A Reader that makes values up. Offsets never move, so a known tagged field of size 0 checks out. */
class InventingReader extends Reader {
  /** readTaggedFields reads count, then tag and size per field; this walks that cycle. */
  private tagState: 'count' | 'tag' | 'size' = 'count';

  constructor(
    private readonly rng: Rng,
    private readonly vocab: Vocabulary,
    private readonly apiKey: number,
  ) {
    super(Buffer.alloc(0));
  }

  override get remaining(): number {
    return 1 << 30;
  }

  override int8(): number {
    return this.rng.chance(0.7) ? this.rng.int(3) : this.rng.range(-128, 127);
  }
  override bool(): boolean {
    return this.rng.chance(0.5);
  }
  override int16(): number {
    if (this.rng.chance(0.7)) return this.rng.int(4) - (this.rng.chance(0.1) ? 1 : 0);
    return this.rng.chance(0.5)
      ? this.rng.pick([-1, 0x7fff, -0x8000, 1000])
      : this.rng.range(-0x8000, 0x7fff);
  }
  override uint16(): number {
    return this.rng.chance(0.7) ? this.rng.int(4) : this.rng.int(0x10000);
  }
  override int32(): number {
    const r = this.rng.int(10);
    if (r < 5) return this.rng.int(4);
    if (r < 8) return this.rng.pick(INT32_EDGES);
    return this.rng.u32() | 0;
  }
  override uint32(): number {
    return this.rng.chance(0.7) ? this.rng.int(4) : this.rng.u32();
  }
  override int64(): bigint {
    const r = this.rng.int(10);
    if (r < 5) return BigInt(this.rng.int(10));
    if (r < 7) return this.rng.pick(INT64_EDGES);
    if (r < 8) return BigInt(Date.now() - this.rng.int(86_400_000));
    return this.rng.bytes(8).readBigInt64BE(0);
  }
  override float64(): number {
    return this.rng.pick([0, 1, -1, 0.5, NaN, Infinity, 1e308]);
  }
  override uuid(): string {
    if (this.vocab.uuids.length > 0 && this.rng.chance(0.6)) return this.rng.pick(this.vocab.uuids);
    return this.rng.chance(0.5) ? 'AAAAAAAAAAAAAAAAAAAAAA' : randomUuid(this.rng);
  }

  private text(): string | null {
    const r = this.rng.int(20);
    if (r === 0) return null;
    if (r < 13 && this.vocab.strings.length > 0) return this.rng.pick(this.vocab.strings);
    if (r < 16) return this.rng.pick(ODD_STRINGS);
    return randomText(this.rng, this.rng.size(40));
  }
  override nullableString(): string | null {
    return this.text();
  }
  override compactNullableString(): string | null {
    return this.text();
  }

  private blob(): Buffer | null {
    if (this.apiKey === ApiKey.Produce)
      return this.rng.chance(0.03) ? null : randomBatch(this.rng, this.vocab);
    if (this.rng.chance(0.05)) return null;
    return this.rng.bytes(this.rng.size(64));
  }
  override nullableBytes(): Buffer | null {
    return this.blob();
  }
  override compactNullableBytes(): Buffer | null {
    return this.blob();
  }
  override rawBytes(len: number): Buffer {
    return this.rng.bytes(Math.min(len, 64));
  }

  private count(): number {
    const r = this.rng.int(50);
    if (r === 0) return -1;
    if (r < 10) return 0;
    if (r < 30) return 1;
    if (r < 45) return this.rng.range(2, 3);
    return this.rng.range(4, 20);
  }
  override arrayLength(): number {
    return this.count();
  }
  override compactArrayLength(): number {
    return this.count();
  }

  /** Only readTaggedFields calls uvarint directly (the compact readers above are overridden). */
  override uvarint(): number {
    switch (this.tagState) {
      case 'count':
        if (this.rng.chance(0.85)) return 0;
        this.tagState = 'tag';
        return 1;
      case 'tag':
        this.tagState = 'size';
        return this.rng.chance(0.8) ? this.rng.int(4) : this.rng.int(1000);
      case 'size':
        this.tagState = 'count';
        return 0;
    }
  }
}

/** The request header (v1 or v2 as the version calls for) and body, without the size prefix. */
export function encodePayload(
  apiKey: number,
  version: number,
  correlationId: number,
  clientId: string | null,
  body: unknown,
) {
  const w = new Writer(256);
  writeRequestHeader(w, requestHeaderVersion(apiKey, version), {
    requestApiKey: apiKey,
    requestApiVersion: version,
    correlationId,
    clientId,
  });
  API_BY_KEY[apiKey]!.writeRequest(w, version, body);
  return w.toBuffer();
}

/**
 * A random request for apiKey at version, or null when 20 tries all drew something the writer
 * refuses (a null where the schema forbids one, say).
 */
export function synthesize(rng: Rng, vocab: Vocabulary, apiKey: number, version: number): Buffer | null {
  const spec = API_BY_KEY[apiKey];
  if (!spec) return null;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const body: unknown = spec.readRequest(new InventingReader(rng, vocab, apiKey), version);
      const clientId = rng.chance(0.9)
        ? 'fuzz-synth'
        : rng.chance(0.5)
          ? null
          : randomText(rng, rng.size(30));
      return encodePayload(apiKey, version, 0, clientId, body);
    } catch {
      // A null in a non-nullable field, or a value the writer cannot encode: draw again.
    }
  }
  return null;
}
