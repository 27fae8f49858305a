import { z } from 'zod';
import { Int64, Int64Input, TopicName } from './common';

export const GroupListItem = z
  .object({
    groupId: z.string(),
    state: z.string().describe('Stable, Empty, PreparingRebalance, CompletingRebalance, Dead, or Unknown'),
    protocolType: z.string(),
    members: z.number().int(),
    topics: z.array(z.string()),
    lag: z
      .number()
      .nullable()
      .describe('Total lag over committed partitions; null without committed offsets'),
  })
  .meta({ id: 'GroupListItem' });
export type GroupListItem = z.infer<typeof GroupListItem>;

export const GroupsResponse = z.object({ groups: z.array(GroupListItem) });
export type GroupsResponse = z.infer<typeof GroupsResponse>;

export const GroupMember = z.object({
  memberId: z.string(),
  clientId: z.string(),
  host: z.string(),
  assignments: z.array(z.object({ topic: z.string(), partitions: z.array(z.number().int()) })),
});
export type GroupMember = z.infer<typeof GroupMember>;

export const GroupOffset = z.object({
  topic: z.string(),
  partition: z.number().int(),
  committed: Int64.nullable().describe('null when the group has no committed offset for the partition'),
  logEnd: Int64.nullable().describe('High watermark; null when it could not be read'),
  lag: z.number().nullable(),
});
export type GroupOffset = z.infer<typeof GroupOffset>;

export const GroupDetail = z
  .object({
    groupId: z.string(),
    state: z.string(),
    protocol: z.string(),
    protocolType: z.string(),
    members: z.array(GroupMember),
    offsets: z.array(GroupOffset),
  })
  .meta({ id: 'GroupDetail' });
export type GroupDetail = z.infer<typeof GroupDetail>;

export const ResetOffsetsBody = z
  .object({
    topic: TopicName,
    to: z.enum(['earliest', 'latest', 'offset', 'timestamp', 'shift']),
    value: Int64Input.optional().describe('The offset, the timestamp (ms), or the shift (may be negative)'),
    partitions: z.array(z.number().int().min(0)).min(1).optional().describe('Default: every partition'),
    dryRun: z.boolean().default(false),
  })
  .refine((b) => b.value !== undefined || b.to === 'earliest' || b.to === 'latest', {
    message: 'value is required for to=offset, timestamp and shift',
    path: ['value'],
  });
export type ResetOffsetsBody = z.infer<typeof ResetOffsetsBody>;

export const ResetOffsetsResponse = z.object({
  offsets: z.array(
    z.object({
      partition: z.number().int(),
      previous: Int64.nullable(),
      next: Int64,
    }),
  ),
});
export type ResetOffsetsResponse = z.infer<typeof ResetOffsetsResponse>;
