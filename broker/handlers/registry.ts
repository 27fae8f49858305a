/**
 * The APIs this broker serves: one module per API key, named NN-name.ts after the key. ApiVersions
 * advertises exactly this list, so an API appears to clients only once its handler exists.
 */
import type { AdvertisedApi } from '../node-context';
import produce from './00-produce';
import fetch from './01-fetch';
import listOffsets from './02-list-offsets';
import metadata from './03-metadata';
import apiVersions from './18-api-versions';
import createTopics from './19-create-topics';
import deleteTopics from './20-delete-topics';
import deleteRecords from './21-delete-records';
import describeConfigs from './32-describe-configs';
import alterConfigs from './33-alter-configs';
import describeLogDirs from './35-describe-log-dirs';
import createPartitions from './37-create-partitions';
import incrementalAlterConfigs from './44-incremental-alter-configs';
import type { ApiHandler, ApiKeyNumber } from './types';

export const HANDLERS: readonly ApiHandler<ApiKeyNumber>[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  apiVersions,
  createTopics,
  deleteTopics,
  deleteRecords,
  describeConfigs,
  alterConfigs,
  describeLogDirs,
  createPartitions,
  incrementalAlterConfigs,
] as ApiHandler<ApiKeyNumber>[];

export function handlerMap(): Map<number, ApiHandler<ApiKeyNumber>> {
  return new Map(HANDLERS.map((h) => [h.apiKey, h]));
}

export function advertisedApis(): AdvertisedApi[] {
  return HANDLERS.map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion })).sort(
    (a, b) => a.apiKey - b.apiKey,
  );
}
