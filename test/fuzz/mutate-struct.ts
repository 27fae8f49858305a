/**
 * Structure-aware mutators: the seed is decoded with the generated codec, field values are replaced
 * (edge-case numbers, odd names, null/empty/huge arrays, swapped ids) and the request is encoded
 * again, so the broker's handlers see well-formed requests with hostile contents instead of decode
 * errors. Record batches inside Produce requests get their own mutators, and the CRC32C is fixed up
 * afterwards (mostly), so the corruption reaches record parsing and the decompressors instead of
 * stopping at the checksum.
 */
import { gzipSync } from 'node:zlib';
import { API_BY_KEY } from '../../broker/protocol/generated/index';
import {
  readRequestHeader,
  writeRequestHeader,
  type RequestHeader,
} from '../../broker/protocol/generated/request-header';
import { requestHeaderVersion } from '../../broker/protocol/header';
import { Reader } from '../../broker/protocol/reader';
import {
  ATTRIBUTES_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_MASK,
  Compression,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_OFFSET,
  compress,
  decompress,
  encodeBatch,
  writeCrc,
} from '../../broker/protocol/records/index';
import { Writer } from '../../broker/protocol/writer';
import { BYTE_MUTATORS, INTERESTING_32, type ByteMutatorName } from './mutate-bytes';
import type { Rng } from './prng';
import { randomUuid, type Vocabulary } from './synth';

export interface DecodedRequest {
  header: RequestHeader;
  headerVersion: number;
  apiKey: number;
  version: number;
  body: Record<string, unknown>;
}

export function decodeRequest(payload: Buffer): DecodedRequest | null {
  if (payload.length < 8) return null;
  const apiKey = payload.readInt16BE(0);
  const version = payload.readInt16BE(2);
  const spec = API_BY_KEY[apiKey];
  if (!spec || version < 0) return null;
  try {
    const r = new Reader(payload);
    const headerVersion = requestHeaderVersion(apiKey, version);
    const header = readRequestHeader(r, headerVersion);
    const body = spec.readRequest(r, version) as Record<string, unknown>;
    return { header, headerVersion, apiKey, version, body };
  } catch {
    return null;
  }
}

export function encodeRequest(d: DecodedRequest): Buffer | null {
  try {
    const w = new Writer(512);
    writeRequestHeader(w, d.headerVersion, d.header);
    API_BY_KEY[d.apiKey]!.writeRequest(w, d.version, d.body);
    return w.toBuffer();
  } catch {
    return null; // a replacement the writer cannot encode (int16 out of range, null where not allowed)
  }
}

interface Slot {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  value: unknown;
}

const MAX_SLOTS = 400;

/** Every field value of the request (and of nested structs), arrays included as values themselves. */
function collectSlots(node: unknown, out: Slot[]): void {
  if (out.length >= MAX_SLOTS || node === null || typeof node !== 'object' || Buffer.isBuffer(node)) return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length && out.length < MAX_SLOTS; i++) {
      out.push({ holder: node, key: i, value: node[i] });
      collectSlots(node[i], out);
    }
    return;
  }
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === '_unknownTaggedFields') continue;
    out.push({ holder: node as Record<string, unknown>, key, value });
    collectSlots(value, out);
  }
}

const INT64_EDGES = [-1n, 0n, 1n, -2n, 0x7fff_ffff_ffff_ffffn, -0x8000_0000_0000_0000n, 0x1_0000_0000n];
const STRING_EDGES = [
  '',
  '.',
  '..',
  '__consumer_offsets',
  '__transaction_state',
  '-',
  'a'.repeat(249),
  'a'.repeat(250),
];

function looksLikeBatch(b: Buffer): boolean {
  return b.length >= RECORD_BATCH_OVERHEAD && b[MAGIC_OFFSET] === 2;
}

/**
 * Repeated array elements: up to 5,000 of a small one, but never past about 2 MB in all (an element
 * is at most the whole request), or the fuzzer spends its time encoding giant Produce requests.
 */
const MAX_REPEAT = 5_000;
const MAX_REPEATED_BYTES = 2 * 1024 * 1024;

/** A mutated request above this is dropped (the broker's 100 MB limit is probed by the size mutators). */
const MAX_STRUCT_FRAME = 4 * 1024 * 1024;

interface EditBudget {
  requestBytes: number;
  /** One array may grow per mutation: repeated elements share nested arrays, so two multiply. */
  grown: boolean;
}

function replacement(rng: Rng, vocab: Vocabulary, value: unknown, budget: EditBudget): unknown {
  if (typeof value === 'number') {
    const r = rng.int(6);
    if (r < 3) return rng.pick(INTERESTING_32) | 0;
    if (r === 3) return value + rng.pick([1, -1]);
    if (r === 4) return -value;
    return rng.u32() | 0;
  }
  if (typeof value === 'bigint')
    return rng.chance(0.7) ? rng.pick(INT64_EDGES) : value + BigInt(rng.range(-2, 2));
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') {
    if (value.length === 22 && /^[A-Za-z0-9_-]+$/.test(value)) {
      return rng.chance(0.5) && vocab.uuids.length > 0 ? rng.pick(vocab.uuids) : randomUuid(rng);
    }
    const r = rng.int(8);
    if (r === 0) return null;
    if (r < 3 && vocab.strings.length > 0) return rng.pick(vocab.strings);
    if (r < 5) return rng.pick(STRING_EDGES);
    if (r === 5) return 'x'.repeat(rng.pick([1000, 32_767, 32_768]));
    if (r === 6) return value + String.fromCharCode(rng.int(0x10000));
    return rng.bytes(rng.range(1, 20)).toString('latin1');
  }
  if (Buffer.isBuffer(value)) {
    if (looksLikeBatch(value) && rng.chance(0.8)) return mutateRecords(rng, value);
    const r = rng.int(4);
    if (r === 0) return null;
    if (r === 1) return Buffer.alloc(0);
    const name = rng.pick(Object.keys(BYTE_MUTATORS) as ByteMutatorName[]);
    return BYTE_MUTATORS[name](rng, value);
  }
  if (Array.isArray(value)) {
    const r = rng.int(6);
    if (r === 0) return null;
    if (r === 1) return [];
    if (r === 2 && value.length > 0) return value.slice(1);
    if (r === 3) return [...value].reverse();
    if (value.length === 0 || budget.grown) return value;
    budget.grown = true;
    const most = Math.max(
      2,
      Math.min(MAX_REPEAT, Math.floor(MAX_REPEATED_BYTES / Math.max(1, budget.requestBytes))),
    );
    const n = rng.chance(0.7) ? rng.range(2, Math.min(4, most)) : rng.range(Math.min(10, most), most);
    const out: unknown[] = [];
    while (out.length < n) out.push(value[out.length % value.length]);
    return out;
  }
  if (value === null) return rng.pick<unknown>(['', 0, [], Buffer.alloc(0)]);
  return value;
}

/** A field value (or a few) replaced; null when nothing decodable or encodable came of it. */
export function mutateStruct(rng: Rng, vocab: Vocabulary, payload: Buffer): Buffer | null {
  for (let attempt = 0; attempt < 4; attempt++) {
    const d = decodeRequest(payload);
    if (!d) return null;
    const slots: Slot[] = [];
    collectSlots(d.body, slots);
    if (rng.chance(0.1)) collectSlots(d.header, slots);
    if (slots.length === 0) return null;
    const edits = rng.chance(0.7) ? 1 : rng.range(2, 4);
    const budget: EditBudget = { requestBytes: payload.length, grown: false };
    for (let i = 0; i < edits; i++) {
      const slot = rng.pick(slots);
      (slot.holder as Record<string | number, unknown>)[slot.key] = replacement(
        rng,
        vocab,
        slot.value,
        budget,
      );
    }
    const out = encodeRequest(d);
    if (out && out.length <= MAX_STRUCT_FRAME) return out;
  }
  return null;
}

/** Header fields of a v2 batch: [offset, width]. */
const BATCH_FIELDS: [number, 1 | 2 | 4 | 8][] = [
  [0, 8], // baseOffset
  [8, 4], // batchLength
  [12, 4], // partitionLeaderEpoch
  [16, 1], // magic
  [21, 2], // attributes
  [23, 4], // lastOffsetDelta
  [27, 8], // baseTimestamp
  [35, 8], // maxTimestamp
  [43, 8], // producerId
  [51, 2], // producerEpoch
  [53, 4], // baseSequence
  [57, 4], // recordCount
];

let bombs: Buffer[] | undefined;

/**
 * Batches whose records decompress to far more than they weigh: under and over the broker's 64 MB
 * cap (gzip, lz4, zstd), and raw snappy whose length preamble claims 2 GB. Built once (about a second:
 * the engine does it before the clock starts).
 */
export function decompressionBombs(): Buffer[] {
  if (bombs) return bombs;
  const header = (codec: number, payload: Buffer, records: number) => {
    const batch = encodeBatch({ records: [{ value: Buffer.alloc(1) }] });
    const out = Buffer.concat([batch.subarray(0, RECORDS_OFFSET), payload]);
    out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
    out.writeInt16BE(codec, ATTRIBUTES_OFFSET);
    out.writeInt32BE(records - 1, 23);
    out.writeInt32BE(records, 57);
    writeCrc(out, 0);
    return out;
  };
  const small = Buffer.alloc(48 * 1024 * 1024);
  const big = Buffer.alloc(96 * 1024 * 1024);
  bombs = [
    header(Compression.Gzip, gzipSync(small, { level: 9 }), 1),
    header(Compression.Gzip, gzipSync(big, { level: 9 }), 1_000_000),
    header(Compression.Zstd, compress(Compression.Zstd, big), 1),
    header(Compression.Lz4, compress(Compression.Lz4, small), 3),
    header(Compression.Snappy, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07, 0x00, 0x00]), 1),
  ];
  return bombs;
}

function fixCrcs(buf: Buffer): void {
  let pos = 0;
  while (pos + RECORD_BATCH_OVERHEAD <= buf.length) {
    const size = buf.readInt32BE(pos + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
    if (size < RECORD_BATCH_OVERHEAD || pos + size > buf.length) return;
    writeCrc(buf, pos);
    pos += size;
  }
}

/** One record-batch mutation of `records` (a copy is returned; the seed's bytes stay intact). */
export function mutateRecords(rng: Rng, records: Buffer): Buffer {
  let out: Buffer;
  const op = rng.int(100);
  if (op < 35) {
    out = Buffer.from(records);
    const [at, width] = rng.pick(BATCH_FIELDS);
    if (at + width <= out.length) {
      if (width === 1) out[at] = rng.pick([0, 1, 3, 0xff]);
      else if (width === 2)
        out.writeInt16BE(rng.pick([0, 1, 5, 6, 7, 0x10, 0x20, 0x30, 0x40, -1, 0x7fff]), at);
      else if (width === 4) out.writeInt32BE(rng.pick(INTERESTING_32) | 0, at);
      else out.writeBigInt64BE(rng.pick(INT64_EDGES), at);
    }
  } else if (op < 55 && records.length > RECORDS_OFFSET) {
    // Inside the (possibly compressed) records: decompressor and record-parser input.
    const name = rng.pick<ByteMutatorName>(['bitflip', 'byteset', 'insert', 'delete', 'integer', 'truncate']);
    const body = BYTE_MUTATORS[name](rng, records.subarray(RECORDS_OFFSET));
    out = Buffer.concat([records.subarray(0, RECORDS_OFFSET), body]);
    out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  } else if (op < 75 && records.length > RECORDS_OFFSET) {
    // Decompress, damage the records themselves (varint lengths, counts), compress again.
    const codec = records.readInt16BE(ATTRIBUTES_OFFSET) & COMPRESSION_MASK;
    const batchEnd = Math.min(records.length, records.readInt32BE(BATCH_LENGTH_OFFSET) + LOG_OVERHEAD);
    let plain: Buffer;
    try {
      plain = decompress(
        codec,
        records.subarray(RECORDS_OFFSET, Math.max(RECORDS_OFFSET, batchEnd)),
        1 << 24,
      );
    } catch {
      return mutateRecords(rng, records);
    }
    const name = rng.pick<ByteMutatorName>([
      'bitflip',
      'byteset',
      'insert',
      'delete',
      'integer',
      'length',
      'clone',
    ]);
    const damaged = name === 'length' ? BYTE_MUTATORS.integer(rng, plain) : BYTE_MUTATORS[name](rng, plain);
    out = Buffer.concat([records.subarray(0, RECORDS_OFFSET), compress(codec, damaged)]);
    out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  } else if (op < 85) {
    out = Buffer.from(records);
    if (out.length > ATTRIBUTES_OFFSET + 1) {
      const attrs = out.readInt16BE(ATTRIBUTES_OFFSET);
      out.writeInt16BE((attrs & ~COMPRESSION_MASK) | rng.int(8), ATTRIBUTES_OFFSET);
    }
  } else if (op < 95) {
    // Several batches, a partial one, or trailing bytes.
    const r = rng.int(3);
    if (r === 0) out = Buffer.concat([records, records]);
    else if (r === 1) out = Buffer.concat([records, records.subarray(0, rng.int(records.length))]);
    else out = Buffer.concat([records, rng.bytes(rng.range(1, 80))]);
  } else if (op < 99) {
    out = records.subarray(0, rng.int(records.length));
  } else {
    return rng.pick(decompressionBombs());
  }
  if (rng.chance(0.9)) fixCrcs(out);
  return out;
}

/** Names (topics, groups, transactional ids, config keys) and topic ids the seeds carry. */
export function harvestVocabulary(payloads: Buffer[], extra: { names: string[]; ids: string[] }): Vocabulary {
  const strings = new Set<string>(extra.names);
  const uuids = new Set<string>(extra.ids.filter((id) => id !== 'AAAAAAAAAAAAAAAAAAAAAA'));
  for (const payload of payloads) {
    const d = decodeRequest(payload);
    if (!d) continue;
    const slots: Slot[] = [];
    collectSlots(d.body, slots);
    for (const { value } of slots) {
      if (typeof value !== 'string' || value.length === 0 || value.length > 120) continue;
      if (value.length === 22 && /^[A-Za-z0-9_-]+$/.test(value)) {
        if (value !== 'AAAAAAAAAAAAAAAAAAAAAA') uuids.add(value);
      } else strings.add(value);
    }
  }
  return { strings: [...strings], uuids: [...uuids] };
}
