/**
 * Answers to fuzz frames, decoded with the generated response codec for the API key and version the
 * frame carried: an answer that does not decode (or leaves bytes over) is the broker's bug, not the
 * fuzzer's. The figure kept per answer is its error code: the top-level one, else the first non-zero
 * one found in its topics/partitions/resources.
 */
import { readTaggedFields } from '../../broker/protocol/codec-runtime';
import { API_BY_KEY, ApiKey } from '../../broker/protocol/generated/index';
import { responseHeaderVersion } from '../../broker/protocol/header';
import { Reader } from '../../broker/protocol/reader';
import type { ServedApi, WireFrame } from './cases';

export interface Answer {
  errorCode: number;
  /** Why the answer is malformed, when it is. */
  malformed?: string;
}

const MAX_NODES = 5_000;

function firstErrorCode(body: unknown): number {
  if (body && typeof body === 'object' && 'errorCode' in body) {
    const top = (body as { errorCode: unknown }).errorCode;
    if (typeof top === 'number' && top !== 0) return top;
  }
  const stack: unknown[] = [body];
  let seen = 0;
  while (stack.length > 0 && seen++ < MAX_NODES) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || Buffer.isBuffer(node)) continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'errorCode' && typeof value === 'number' && value !== 0) return value;
      if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return 0;
}

/** Larger answers are not decoded (their error codes are not counted): it would cost the fuzzer seconds. */
export const MAX_DECODED_ANSWER = 1024 * 1024;

export function decodeAnswer(frame: WireFrame, answer: Buffer, served: ServedApi[]): Answer | null {
  if (answer.length > MAX_DECODED_ANSWER) return null;
  const spec = API_BY_KEY[frame.apiKey];
  if (!spec)
    return { errorCode: 0, malformed: `answer to API key ${frame.apiKey}, which the broker does not serve` };
  let version = frame.version;
  if (frame.apiKey === ApiKey.ApiVersions) {
    const range = served.find((a) => a.apiKey === ApiKey.ApiVersions);
    // KIP-511: an ApiVersions request at a version the broker does not know is answered at v0.
    if (!range || version < range.minVersion || version > range.maxVersion) version = 0;
  }
  try {
    const r = new Reader(answer);
    r.int32();
    if (responseHeaderVersion(frame.apiKey, version) >= 1) readTaggedFields(r, {});
    const body: unknown = spec.readResponse(r, version);
    if (r.remaining !== 0) return { errorCode: 0, malformed: `${r.remaining} bytes after the response body` };
    return { errorCode: firstErrorCode(body) };
  } catch (err) {
    return { errorCode: 0, malformed: (err as Error).message };
  }
}
