import { z } from 'zod';

export const Broker = z
  .object({
    nodeId: z.number().int(),
    host: z.string(),
    port: z.number().int(),
    rack: z.string().nullable(),
    isController: z.boolean(),
    partitions: z.number().int().describe('Partition replicas this broker holds'),
    leaders: z.number().int().describe('Partitions this broker leads'),
    logSizeBytes: z
      .number()
      .nullable()
      .describe('null: kafkajs has no DescribeLogDirs, so sizes are not read yet'),
  })
  .meta({ id: 'Broker' });
export type Broker = z.infer<typeof Broker>;

export const BrokersResponse = z.object({ brokers: z.array(Broker) });
export type BrokersResponse = z.infer<typeof BrokersResponse>;
