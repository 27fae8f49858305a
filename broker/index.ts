/**
 * The broker's public surface. app/ and tests import the broker only from here.
 */
import { loadBrokerConfig, type BrokerConfig } from './config';
import { startBrokerNode } from './node';

export { ConfigError, loadBrokerConfig, type BrokerConfig } from './config';

export interface BrokerHandle {
  nodeId: number;
  clusterId: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartBrokerOptions {
  /** A server.properties file. */
  configFile?: string;
  /** Kafka key names, applied after the file, e.g. { listeners: 'PLAINTEXT://127.0.0.1:0' }. */
  overrides?: Record<string, string | number | boolean>;
  /** A config already loaded (wins over configFile/overrides). */
  config?: BrokerConfig;
}

/** Starts one broker node in this process (port 0 allowed; the bound port is reported). */
export async function startBroker(opts: StartBrokerOptions = {}): Promise<BrokerHandle> {
  const config = opts.config ?? loadBrokerConfig({ file: opts.configFile, overrides: opts.overrides });
  const node = await startBrokerNode(config);
  return {
    nodeId: node.nodeId,
    clusterId: node.clusterId,
    host: node.host,
    port: node.port,
    stop: () => node.stop(),
  };
}
