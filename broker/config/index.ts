/** server.properties-style broker configuration; see broker-config.ts for the typed result. */
export { ConfigError } from './errors';
export { parseProperties } from './properties';
export {
  CONFIG_TYPE_IDS,
  parseConfigValue,
  formatConfigValue,
  type ConfigType,
  type ConfigValue,
  type Validator,
} from './types';
export {
  BROKER_CONFIG_DEFS,
  brokerConfigDef,
  SECURITY_PROTOCOLS,
  COMPRESSION_TYPES,
  TIMESTAMP_TYPES,
  type ConfigDef,
} from './defs';
export {
  parseListener,
  parseListeners,
  parseSecurityProtocolMap,
  parseQuorumVoters,
  type Listener,
  type ListenerAddress,
  type QuorumVoter,
  type SecurityProtocol,
} from './listeners';
export {
  loadBrokerConfig,
  brokerConfigFromProperties,
  type BrokerConfig,
  type LoadBrokerConfigInput,
  type ProcessRole,
  type CompressionType,
  type TimestampType,
} from './broker-config';
export type { ConfigLogger } from './values';
export {
  describeBrokerConfig,
  CONFIG_SOURCE_IDS,
  type BrokerConfigEntry,
  type ConfigSource,
} from './describe';
