/**
 * ApiVersions (key 18), v0-v4. Lists the APIs and versions this broker serves, computed from the handler
 * registry. KIP-511 (v3+): client software name/version must match Kafka's pattern, else INVALID_REQUEST.
 * A request at a version we do not serve is answered by `unsupportedApiVersionsResponse` in v0 format
 * (see protocol/header.ts) so the client can retry with a version from our ranges.
 */
import { ErrorCode } from '../protocol/generated/errors';
import type { ApiVersionsResponse } from '../protocol/generated/api-versions';
import type { BrokerContext } from '../node-context';
import { defineHandler } from './types';

const SOFTWARE_RE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export function apiVersionsBody(broker: BrokerContext, errorCode: number): ApiVersionsResponse {
  return {
    errorCode,
    apiKeys: broker.apis.map((a) => ({
      apiKey: a.apiKey,
      minVersion: a.minVersion,
      maxVersion: a.maxVersion,
    })),
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
  };
}

export default defineHandler({
  apiKey: 18,
  minVersion: 0,
  maxVersion: 4,
  handle(req, ctx) {
    if (ctx.apiVersion >= 3) {
      const name = req.clientSoftwareName ?? '';
      const version = req.clientSoftwareVersion ?? '';
      if (!SOFTWARE_RE.test(name) || !SOFTWARE_RE.test(version)) {
        return apiVersionsBody(ctx.broker, ErrorCode.INVALID_REQUEST);
      }
    }
    return apiVersionsBody(ctx.broker, ErrorCode.NONE);
  },
});
