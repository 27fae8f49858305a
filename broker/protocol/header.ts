/**
 * Request/response header version rules (protocol guide, "Headers"; KIP-482; KIP-511):
 * - request header v2 for flexible request versions, v1 otherwise; v0 only for ControlledShutdown v0;
 * - response header v1 for flexible versions, except ApiVersions, whose response header is always v0 so a
 *   client that does not yet know the broker's versions can read it;
 * - the client id is a classic nullable string even in header v2 (the generated codec knows this).
 */
import { API_BY_KEY, ApiKey, type ApiSpec } from './generated/index';
import { readRequestHeader, type RequestHeader } from './generated/request-header';
import { Reader } from './reader';
import { Writer } from './writer';

export function isFlexible(spec: ApiSpec, version: number): boolean {
  return spec.flexibleMin >= 0 && version >= spec.flexibleMin;
}

export function requestHeaderVersion(apiKey: number, version: number): number {
  const spec = API_BY_KEY[apiKey];
  if (apiKey === ApiKey.ControlledShutdown && version === 0) return 0;
  // A version newer than we know is read as flexible if the API is flexible at all (KIP-511: a newer
  // ApiVersions request still has a client id we can read).
  return spec && spec.flexibleMin >= 0 && version >= spec.flexibleMin ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, version: number): number {
  if (apiKey === ApiKey.ApiVersions) return 0;
  const spec = API_BY_KEY[apiKey];
  return spec && isFlexible(spec, version) ? 1 : 0;
}

export interface ParsedRequest {
  header: RequestHeader;
  /** Positioned at the first byte of the request body. */
  body: Reader;
}

export function readHeader(frame: Buffer): ParsedRequest {
  const apiKey = frame.length >= 4 ? frame.readInt16BE(0) : -1;
  const version = frame.length >= 4 ? frame.readInt16BE(2) : -1;
  const r = new Reader(frame);
  const header = readRequestHeader(r, requestHeaderVersion(apiKey, version));
  return { header, body: r };
}

/** Starts a response: writes the header; the caller appends the body. */
export function startResponse(apiKey: number, version: number, correlationId: number): Writer {
  const w = new Writer(512);
  w.int32(correlationId);
  if (responseHeaderVersion(apiKey, version) >= 1) w.uvarint(0); // empty tagged fields
  return w;
}
