/** What a broker node shares with its request handlers. */
import type { BrokerConfig } from './config';
import type { MetadataImage } from './controller/metadata-image';
import type { GroupCoordinator } from './group/coordinator';
import type { LogManager } from './log/log-manager';
import type { Logger } from './logger';
import type { ReplicaManager } from './replication/replica-manager';
import type { TxnCoordinator } from './txn/coordinator';

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
  /** The partition logs on this node's disks. */
  logs: LogManager;
  /** Leader-side access to partition logs (append, high watermark). */
  replicas: ReplicaManager;
  /** Consumer groups and committed offsets (assigned right after the context is built). */
  groups: GroupCoordinator;
  /** Transactional ids, producer ids and transaction markers (assigned after groups). */
  txns: TxnCoordinator;
  log: Logger;
  /** The APIs this node serves, for ApiVersions. */
  apis: readonly AdvertisedApi[];
}
