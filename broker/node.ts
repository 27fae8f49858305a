/**
 * One broker node: checks its log dirs, loads the metadata it serves, registers itself, and listens on
 * its first listener. start/stop are the whole lifecycle; everything per request lives in handlers/.
 */
import type { BrokerConfig } from './config';
import { MetadataImage } from './controller/metadata-image';
import { GroupCoordinator } from './group/coordinator';
import { createDispatcher } from './handlers/dispatch';
import { advertisedApis } from './handlers/registry';
import { cleanerSettings } from './log/cleaner';
import { LogManager } from './log/log-manager';
import { ensureMetaProperties } from './log/meta-properties';
import { effectiveLogConfig } from './log/topic-config';
import { createLogger, type Logger } from './logger';
import { startNetworkServer, type NetworkServer } from './network/server';
import type { BrokerContext } from './node-context';
import { ReplicaManager } from './replication/replica-manager';
import { TxnCoordinator } from './txn/coordinator';

export interface BrokerNode {
  nodeId: number;
  clusterId: string;
  /** The bound address of the first listener (the real port when 0 was asked for). */
  host: string;
  port: number;
  context: BrokerContext;
  stop(): Promise<void>;
}

export async function startBrokerNode(
  config: BrokerConfig,
  log: Logger = createLogger(`broker-${config.nodeId}`),
): Promise<BrokerNode> {
  const clusterId = ensureMetaProperties(config.logDirs, config.nodeId, config.clusterId);
  const metadata = new MetadataImage(clusterId, config.nodeId, config.logDirs[0]);
  const localTopics = [...metadata.allTopics()].map((t) => ({
    name: t.name,
    topicId: t.topicId,
    partitions: t.partitions.filter((p) => p.replicas.includes(config.nodeId)).map((p) => p.partition),
    config: effectiveLogConfig(config, t.configs),
  }));
  const logs = LogManager.open(config.logDirs, localTopics, log);
  logs.startBackground(config.logRetentionCheckIntervalMs, undefined, cleanerSettings(config.staticProps));
  const replicas = new ReplicaManager(config.nodeId, metadata, logs);
  const broker: BrokerContext = {
    config,
    nodeId: config.nodeId,
    clusterId,
    metadata,
    logs,
    replicas,
    groups: undefined as unknown as GroupCoordinator,
    txns: undefined as unknown as TxnCoordinator,
    log,
    apis: advertisedApis(),
  };
  broker.groups = new GroupCoordinator(broker);
  broker.txns = new TxnCoordinator(broker);

  const listener = config.listeners[0];
  let server: NetworkServer;
  try {
    server = await startNetworkServer({
      host: listener.host,
      port: listener.port,
      limits: {
        socketRequestMaxBytes: config.socketRequestMaxBytes,
        connectionsMaxIdleMs: config.connectionsMaxIdleMs,
      },
      dispatch: createDispatcher(broker),
      logger: log,
    });
  } catch (err) {
    throw new Error(
      `cannot listen on ${listener.name}://${listener.host}:${listener.port}: ${(err as Error).message}`,
    );
  }

  const advertised = config.advertisedListeners.find((l) => l.name === listener.name) ?? listener;
  const host = advertised.host === '' ? '127.0.0.1' : advertised.host;
  metadata.brokers.set(config.nodeId, {
    nodeId: config.nodeId,
    host,
    port: advertised.port === 0 ? server.port : advertised.port,
    rack: config.brokerRack,
    fenced: false,
  });
  log.info({ nodeId: config.nodeId, clusterId, listener: `${server.host}:${server.port}` }, 'broker started');

  return {
    nodeId: config.nodeId,
    clusterId,
    host,
    port: server.port,
    context: broker,
    async stop() {
      await server.close();
      broker.txns.close();
      broker.groups.close();
      logs.close();
      log.info({ nodeId: config.nodeId }, 'broker stopped');
    },
  };
}
