import { z } from 'zod';
import { Int64, Int64Input } from './common';

export const MessagesQuery = z.object({
  partition: z.coerce.number().int().min(0).optional().describe('Default: every partition'),
  offset: Int64Input.optional().describe('Read forward from this offset'),
  timestamp: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Read forward from the first record at or after this time (ms)'),
  position: z
    .enum(['newest', 'oldest'])
    .default('newest')
    .describe('Used when neither offset nor timestamp is given'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type MessagesQuery = z.infer<typeof MessagesQuery>;

export const MessageHeader = z.object({
  key: z.string(),
  value: z.string().nullable().describe('UTF-8 text, or null when the bytes are not valid UTF-8'),
  valueBase64: z.string().nullable(),
});

export const Message = z
  .object({
    partition: z.number().int(),
    offset: Int64,
    timestamp: z.number().describe('ms since the epoch'),
    key: z.string().nullable().describe('UTF-8 text; null when absent or not valid UTF-8 (see keyBase64)'),
    value: z.string().nullable(),
    headers: z.array(MessageHeader),
    keyBase64: z.string().nullable().describe('null when the record has no key'),
    valueBase64: z.string().nullable().describe('null for a tombstone'),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

export const PartitionRange = z.object({
  partition: z.number().int(),
  low: Int64.describe('Log start offset'),
  high: Int64.describe('High watermark'),
});
export type PartitionRange = z.infer<typeof PartitionRange>;

export const MessagesResponse = z.object({
  messages: z
    .array(Message)
    .describe('One partition: by offset. Several: by timestamp, then partition, then offset. Ascending.'),
  partitions: z.array(PartitionRange),
});
export type MessagesResponse = z.infer<typeof MessagesResponse>;

export const ProduceBody = z.object({
  partition: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Default: the key's partition (murmur2), else round-robin"),
  key: z.string().nullable().optional(),
  value: z.string().nullable().describe('null produces a tombstone'),
  headers: z.record(z.string(), z.string()).optional(),
  count: z.number().int().min(1).max(1000).default(1).describe('Send the same record this many times'),
});
export type ProduceBody = z.infer<typeof ProduceBody>;

export const ProduceResponse = z.object({
  results: z.array(z.object({ partition: z.number().int(), offset: Int64 })),
});
export type ProduceResponse = z.infer<typeof ProduceResponse>;
