/**
 * The APIs this broker serves: one module per API key, named NN-name.ts after the key. ApiVersions
 * advertises exactly this list, so an API appears to clients only once its handler exists.
 */
import type { AdvertisedApi } from '../node-context';
import metadata from './03-metadata';
import apiVersions from './18-api-versions';
import type { ApiHandler, ApiKeyNumber } from './types';

export const HANDLERS: readonly ApiHandler<ApiKeyNumber>[] = [
  metadata,
  apiVersions,
] as ApiHandler<ApiKeyNumber>[];

export function handlerMap(): Map<number, ApiHandler<ApiKeyNumber>> {
  return new Map(HANDLERS.map((h) => [h.apiKey, h]));
}

export function advertisedApis(): AdvertisedApi[] {
  return HANDLERS.map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion })).sort(
    (a, b) => a.apiKey - b.apiKey,
  );
}
