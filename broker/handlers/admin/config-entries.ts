/**
 * Config entries as DescribeConfigs and CreateTopics (v5+, KIP-525) report them: topic entries from
 * log/topic-config.ts, broker entries from config/describe.ts, with Kafka's source and type ids.
 */
import { CONFIG_TYPE_IDS, brokerConfigDef, describeBrokerConfig, type BrokerConfig } from '../../config';
import type { BrokerConfigEntry } from '../../config';
import { describeTopicConfigs, type TopicConfigEntry } from '../../log/topic-config';
import type { CreatableTopicConfigs } from '../../protocol/generated/create-topics';
import type {
  DescribeConfigsResourceResult,
  DescribeConfigsSynonym,
} from '../../protocol/generated/describe-configs';

/** ConfigResource.Type ids. */
export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8, CLIENT_METRICS: 16, GROUP: 32 } as const;

/** DescribeConfigsResponse.ConfigSource ids. */
export const ConfigSourceId = {
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;

export interface DescribeOptions {
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

function toResult(
  e: Pick<TopicConfigEntry, 'name' | 'value' | 'source' | 'isSensitive' | 'readOnly' | 'type' | 'doc'>,
  synonyms: DescribeConfigsSynonym[],
  opts: DescribeOptions,
): DescribeConfigsResourceResult {
  const source = ConfigSourceId[e.source];
  return {
    name: e.name,
    value: e.isSensitive ? null : e.value,
    readOnly: e.readOnly,
    isDefault: source === ConfigSourceId.DEFAULT_CONFIG,
    configSource: source,
    isSensitive: e.isSensitive,
    synonyms: opts.includeSynonyms ? synonyms : [],
    configType: CONFIG_TYPE_IDS[e.type],
    documentation: opts.includeDocumentation ? e.doc : null,
  };
}

export function topicConfigResults(
  config: Pick<BrokerConfig, 'staticProps'>,
  overrides: Record<string, string>,
  opts: DescribeOptions,
): DescribeConfigsResourceResult[] {
  return describeTopicConfigs(config, overrides).map((e) =>
    toResult(
      e,
      e.synonyms.map((s) => ({ name: s.name, value: s.value, source: ConfigSourceId[s.source] })),
      opts,
    ),
  );
}

/** CreateTopics v5+ `configs`: the new topic's effective configuration. */
export function createdTopicConfigs(
  config: Pick<BrokerConfig, 'staticProps'>,
  overrides: Record<string, string>,
): CreatableTopicConfigs[] {
  return describeTopicConfigs(config, overrides).map((e) => ({
    name: e.name,
    value: e.value,
    readOnly: e.readOnly,
    configSource: ConfigSourceId[e.source],
    isSensitive: e.isSensitive,
  }));
}

/**
 * Kafka's configSynonyms for a broker key: the static values of the key and its synonyms, then their
 * defaults, dropping everything before the first entry for the key itself.
 */
function brokerSynonyms(e: BrokerConfigEntry, props: ReadonlyMap<string, string>): DescribeConfigsSynonym[] {
  const names = [e.name, ...e.synonyms];
  const out: DescribeConfigsSynonym[] = [];
  const value = (v: string | null) => (e.isSensitive ? null : v);
  for (const n of names) {
    const raw = props.get(n);
    if (raw !== undefined)
      out.push({ name: n, value: value(raw), source: ConfigSourceId.STATIC_BROKER_CONFIG });
  }
  for (const n of names) {
    const d = brokerConfigDef(n)?.default;
    if (d !== undefined && d !== null)
      out.push({ name: n, value: value(d), source: ConfigSourceId.DEFAULT_CONFIG });
  }
  const first = out.findIndex((s) => s.name === e.name);
  return first < 0 ? [] : out.slice(first);
}

/**
 * This node's broker configuration. Every key is read-only: dynamic broker configs (KIP-226) are not
 * supported, so AlterConfigs cannot change any of them.
 */
export function brokerConfigResults(
  config: BrokerConfig,
  opts: DescribeOptions,
): DescribeConfigsResourceResult[] {
  return describeBrokerConfig(config).map((e) =>
    toResult({ ...e, readOnly: true }, brokerSynonyms(e, config.staticProps), opts),
  );
}

/** Keys filter of DescribeConfigs: null or empty means every key (ConfigHelper.createResponseConfig). */
export function filterKeys<T extends { name: string }>(entries: T[], keys: string[] | null): T[] {
  if (keys === null || keys.length === 0) return entries;
  const wanted = new Set(keys);
  return entries.filter((e) => wanted.has(e.name));
}
