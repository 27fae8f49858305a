import { z } from 'zod';
import { ConfigEntry, Int64, TopicName } from './common';

const booleanParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const TopicSortKey = z.enum([
  'name',
  'partitions',
  'replicationFactor',
  'underReplicated',
  'messages',
]);
export type TopicSortKey = z.infer<typeof TopicSortKey>;

export const TopicListQuery = z.object({
  search: z.string().max(249).optional().describe('Case-insensitive substring of the topic name'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(25),
  sort: TopicSortKey.default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  internal: booleanParam.default(false).describe('Include internal topics (__consumer_offsets, ...)'),
});
export type TopicListQuery = z.infer<typeof TopicListQuery>;

export const TopicListItem = z
  .object({
    name: z.string(),
    topicId: z.string().nullable().describe('null when the cluster does not report topic ids to kafkajs'),
    internal: z.boolean(),
    partitions: z.number().int(),
    replicationFactor: z.number().int(),
    underReplicated: z.number().int().describe('Partitions whose ISR is smaller than the replica set'),
    messages: z.number().describe('Sum over partitions of high watermark minus log start offset'),
  })
  .meta({ id: 'TopicListItem' });
export type TopicListItem = z.infer<typeof TopicListItem>;

export const TopicListResponse = z.object({
  items: z.array(TopicListItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TopicListResponse = z.infer<typeof TopicListResponse>;

export const CreateTopicBody = z.object({
  name: TopicName,
  partitions: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe("Default: the broker's num.partitions"),
  replicationFactor: z
    .number()
    .int()
    .min(1)
    .max(32_767)
    .optional()
    .describe("Default: the broker's default.replication.factor"),
  configs: z.record(z.string().min(1), z.string()).optional(),
  validateOnly: z.boolean().optional(),
});
export type CreateTopicBody = z.infer<typeof CreateTopicBody>;
export const CreateTopicResponse = z.object({ name: z.string() });

export const PartitionDetail = z
  .object({
    partition: z.number().int(),
    leader: z.number().int().describe('-1 when the partition has no leader'),
    replicas: z.array(z.number().int()),
    isr: z.array(z.number().int()),
    offlineReplicas: z.array(z.number().int()),
    preferredLeader: z.number().int(),
    underReplicated: z.boolean(),
    earliestOffset: Int64,
    latestOffset: Int64,
  })
  .meta({ id: 'PartitionDetail' });
export type PartitionDetail = z.infer<typeof PartitionDetail>;

export const TopicGroup = z.object({
  groupId: z.string(),
  state: z.string(),
  lag: z.number().nullable().describe("Sum of this topic's partition lags; null without committed offsets"),
});
export type TopicGroup = z.infer<typeof TopicGroup>;

export const TopicDetail = z
  .object({
    name: z.string(),
    topicId: z.string().nullable(),
    internal: z.boolean(),
    partitions: z.array(PartitionDetail),
    configs: z.array(ConfigEntry),
    groups: z.array(TopicGroup),
  })
  .meta({ id: 'TopicDetail' });
export type TopicDetail = z.infer<typeof TopicDetail>;

export const PatchConfigsBody = z
  .object({
    set: z.record(z.string().min(1), z.string()).optional(),
    delete: z.array(z.string().min(1)).optional(),
  })
  .refine(
    (b) => Object.keys(b.set ?? {}).length + (b.delete?.length ?? 0) > 0,
    'Nothing to change: give set or delete',
  );
export type PatchConfigsBody = z.infer<typeof PatchConfigsBody>;

export const AddPartitionsBody = z.object({
  count: z.number().int().min(1).max(1_000_000).describe('The new total number of partitions'),
});
export const AddPartitionsResponse = z.object({ partitions: z.number().int() });

export const PurgeBody = z.object({
  partitions: z.array(z.number().int().min(0)).min(1).optional().describe('Default: every partition'),
});
export const PurgeResponse = z.object({
  partitions: z.array(z.object({ partition: z.number().int(), lowWatermark: Int64 })),
});
export type PurgeResponse = z.infer<typeof PurgeResponse>;
