/**
 * The APIs this broker serves: one module per API key, named NN-name.ts after the key. ApiVersions
 * advertises exactly this list, so an API appears to clients only once its handler exists.
 */
import type { AdvertisedApi } from '../node-context';
import produce from './00-produce';
import fetch from './01-fetch';
import listOffsets from './02-list-offsets';
import metadata from './03-metadata';
import offsetCommit from './08-offset-commit';
import offsetFetch from './09-offset-fetch';
import findCoordinator from './10-find-coordinator';
import joinGroup from './11-join-group';
import heartbeat from './12-heartbeat';
import leaveGroup from './13-leave-group';
import syncGroup from './14-sync-group';
import describeGroups from './15-describe-groups';
import listGroups from './16-list-groups';
import apiVersions from './18-api-versions';
import createTopics from './19-create-topics';
import deleteTopics from './20-delete-topics';
import deleteRecords from './21-delete-records';
import initProducerId from './22-init-producer-id';
import addPartitionsToTxn from './24-add-partitions-to-txn';
import addOffsetsToTxn from './25-add-offsets-to-txn';
import endTxn from './26-end-txn';
import txnOffsetCommit from './28-txn-offset-commit';
import describeConfigs from './32-describe-configs';
import alterConfigs from './33-alter-configs';
import describeLogDirs from './35-describe-log-dirs';
import createPartitions from './37-create-partitions';
import deleteGroups from './42-delete-groups';
import incrementalAlterConfigs from './44-incremental-alter-configs';
import offsetDelete from './47-offset-delete';
import type { ApiHandler, ApiKeyNumber } from './types';

export const HANDLERS: readonly ApiHandler<ApiKeyNumber>[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  apiVersions,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  txnOffsetCommit,
  describeConfigs,
  alterConfigs,
  describeLogDirs,
  createPartitions,
  deleteGroups,
  incrementalAlterConfigs,
  offsetDelete,
] as ApiHandler<ApiKeyNumber>[];

export function handlerMap(): Map<number, ApiHandler<ApiKeyNumber>> {
  return new Map(HANDLERS.map((h) => [h.apiKey, h]));
}

export function advertisedApis(): AdvertisedApi[] {
  return HANDLERS.map((h) => ({
    apiKey: h.apiKey,
    minVersion: h.advertisedMinVersion ?? h.minVersion,
    maxVersion: h.maxVersion,
  })).sort((a, b) => a.apiKey - b.apiKey);
}
