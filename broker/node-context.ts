/** What a broker node shares with its request handlers. */
import type { BrokerConfig } from './config';
import type { MetadataImage } from './controller/metadata-image';
import type { Logger } from './logger';

export interface AdvertisedApi {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface BrokerContext {
  config: BrokerConfig;
  nodeId: number;
  clusterId: string;
  metadata: MetadataImage;
  log: Logger;
  /** The APIs this node serves, for ApiVersions. */
  apis: readonly AdvertisedApi[];
}
