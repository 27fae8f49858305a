import { z } from 'zod';

// Request and response shapes of /api/v1, shared by the route handlers, the services (as types), the
// OpenAPI document and the console's react-query hooks. Pure zod: safe to import from client code.

export const ErrorBody = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe(
          "INVALID_ARGUMENT, CLUSTER_UNREACHABLE, INTERNAL, or Kafka's error name (e.g. INVALID_CONFIG)",
        ),
      message: z.string(),
      field: z.string().optional().describe('The request field at fault, for validation errors'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** int64 offsets travel as decimal strings: JSON numbers lose precision past 2^53. */
export const Int64 = z
  .string()
  .regex(/^-?\d+$/)
  .describe('int64 as a decimal string');

/** An int64 given by a client, as a decimal string or a (safe) integer. */
export const Int64Input = z
  .union([z.string().regex(/^-?\d+$/, 'must be an integer'), z.number().int().min(Number.MIN_SAFE_INTEGER)])
  .transform((v) => BigInt(v));

export const ConfigSource = z.enum([
  'UNKNOWN',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
]);
export type ConfigSource = z.infer<typeof ConfigSource>;

export const ConfigEntry = z
  .object({
    name: z.string(),
    value: z.string().nullable().describe('null for sensitive configs'),
    source: ConfigSource,
    isDefault: z.boolean(),
    isSensitive: z.boolean(),
    readOnly: z.boolean(),
  })
  .meta({ id: 'ConfigEntry' });
export type ConfigEntry = z.infer<typeof ConfigEntry>;

export const ConfigsResponse = z.object({ configs: z.array(ConfigEntry) });
export type ConfigsResponse = z.infer<typeof ConfigsResponse>;

/** Kafka's legal topic names (org.apache.kafka.common.internals.Topic.validate). */
export const TopicName = z
  .string()
  .min(1, "Topic name is illegal, it can't be empty")
  .max(249, "Topic name is illegal, it can't be longer than 249 characters")
  .refine((s) => s !== '.' && s !== '..', 'Topic name cannot be "." or ".."')
  .regex(
    /^[a-zA-Z0-9._-]*$/,
    "Topic name is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'",
  );

export const TopicParams = z.object({ name: TopicName });
export const GroupParams = z.object({ id: z.string().min(1) });
export const BrokerParams = z.object({ id: z.coerce.number().int().min(0).max(2_147_483_647) });
