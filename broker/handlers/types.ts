/** What every API handler module exports, and what it is given per request. */
import type { ApiRequests, ApiResponses } from '../protocol/generated/index';
import type { RequestHeader } from '../protocol/generated/request-header';
import type { BrokerContext } from '../node-context';

export interface ConnectionInfo {
  id: number;
  remoteAddress: string;
  remotePort: number;
  localPort: number;
}

export interface RequestContext {
  header: RequestHeader;
  apiVersion: number;
  connection: ConnectionInfo;
  broker: BrokerContext;
}

export type ApiKeyNumber = keyof ApiRequests & keyof ApiResponses;

export interface ApiHandler<K extends ApiKeyNumber = ApiKeyNumber> {
  apiKey: K;
  /** Versions this broker serves; advertised in ApiVersions. */
  minVersion: number;
  maxVersion: number;
  /**
   * The minimum to advertise in ApiVersions when it differs from what is served (KAFKA-18659: Kafka 4
   * lists Produce from v0 so librdkafka < 2.10 keeps compressing, and still refuses v0-v2).
   */
  advertisedMinVersion?: number;
  /** Returns the response, or null when Kafka sends none (produce with acks=0). */
  handle(
    request: ApiRequests[K],
    ctx: RequestContext,
  ): ApiResponses[K] | null | Promise<ApiResponses[K] | null>;
}

export function defineHandler<K extends ApiKeyNumber>(h: ApiHandler<K>): ApiHandler<K> {
  return h;
}
