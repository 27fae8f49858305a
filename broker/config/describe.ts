/**
 * Per-key view of a loaded configuration for DescribeConfigs (KIP-226 sources): every known key with
 * its value and whether it came from the static configuration or the built-in default.
 */
import type { BrokerConfig } from './broker-config';
import { BROKER_CONFIG_DEFS } from './defs';
import { formatConfigValue, parseConfigValue, type ConfigType } from './types';

export type ConfigSource = 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG';

/** DescribeConfigsResponse `config_source` ids. */
export const CONFIG_SOURCE_IDS: Readonly<Record<ConfigSource, number>> = {
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
};

export interface BrokerConfigEntry {
  name: string;
  /** Canonical string form; null when unset without default, or for a password. */
  value: string | null;
  source: ConfigSource;
  isSensitive: boolean;
  type: ConfigType;
  doc: string;
  synonyms: readonly string[];
  /** Accepted for compatibility but not acted on by this broker. */
  noEffect: boolean;
}

const NODE_ID_KEYS = new Set(['node.id', 'broker.id']);

export function describeBrokerConfig(
  config: Pick<BrokerConfig, 'nodeId' | 'staticProps'>,
): BrokerConfigEntry[] {
  const props = config.staticProps;
  const nodeIdSet = props.has('node.id') || props.has('broker.id');
  return BROKER_CONFIG_DEFS.map((def) => {
    const raw = props.get(def.name);
    let source: ConfigSource = raw === undefined ? 'DEFAULT_CONFIG' : 'STATIC_BROKER_CONFIG';
    let value = raw ?? def.default;
    // Kafka copies one id into the other (they are one setting), so both report the effective id.
    if (NODE_ID_KEYS.has(def.name) && nodeIdSet) {
      source = 'STATIC_BROKER_CONFIG';
      value = String(config.nodeId);
    }
    const isSensitive = def.type === 'password';
    return {
      name: def.name,
      value:
        value === null || isSensitive ? null : formatConfigValue(parseConfigValue(def.name, def.type, value)),
      source,
      isSensitive,
      type: def.type,
      doc: def.doc,
      synonyms: def.synonyms ?? [],
      noEffect: def.noEffect ?? false,
    };
  });
}
