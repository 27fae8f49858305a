import { z } from 'zod';
import { Broker, BrokersResponse } from './schemas/brokers';
import { BrokerParams, ConfigsResponse, ErrorBody, GroupParams, TopicParams } from './schemas/common';
import { GroupDetail, GroupsResponse, ResetOffsetsBody, ResetOffsetsResponse } from './schemas/groups';
import { MessagesQuery, MessagesResponse, ProduceBody, ProduceResponse } from './schemas/messages';
import {
  AddPartitionsBody,
  AddPartitionsResponse,
  CreateTopicBody,
  CreateTopicResponse,
  PatchConfigsBody,
  PurgeBody,
  PurgeResponse,
  TopicDetail,
  TopicListQuery,
  TopicListResponse,
} from './schemas/topics';

type JsonSchema = Record<string, unknown>;

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status and schema (none for 204). */
  ok: [number, z.ZodType | null];
  errors: number[];
}

const ClusterOverview = z.object({
  clusterId: z.string(),
  controllerId: z.number().int().nullable(),
  brokers: z.array(Broker.pick({ nodeId: true, host: true, port: true })),
  topics: z.array(z.object({ name: z.string(), partitions: z.number().int() })),
});

const topic = '/api/v1/topics/{name}';
const group = '/api/v1/groups/{id}';
const T = TopicParams;
const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/cluster',
    tag: 'cluster',
    summary: 'Cluster id, controller, brokers and topics',
    ok: [200, ClusterOverview],
    errors: [502],
  },
  {
    method: 'get',
    path: '/api/v1/brokers',
    tag: 'brokers',
    summary: 'Brokers with partitions and leaders held',
    ok: [200, BrokersResponse],
    errors: [502],
  },
  {
    method: 'get',
    path: '/api/v1/brokers/{id}/configs',
    tag: 'brokers',
    summary: "A broker's configs with their sources",
    params: BrokerParams,
    ok: [200, ConfigsResponse],
    errors: [400, 404, 502],
  },
  {
    method: 'get',
    path: '/api/v1/topics',
    tag: 'topics',
    summary: 'One page of topics, searched and sorted on the server',
    query: TopicListQuery,
    ok: [200, TopicListResponse],
    errors: [400, 502],
  },
  {
    method: 'post',
    path: '/api/v1/topics',
    tag: 'topics',
    summary: "Create a topic (Kafka's name rules checked first)",
    body: CreateTopicBody,
    ok: [201, CreateTopicResponse],
    errors: [400, 409, 502],
  },
  {
    method: 'get',
    path: topic,
    tag: 'topics',
    summary: 'Partitions, configs and the groups reading the topic',
    params: T,
    ok: [200, TopicDetail],
    errors: [400, 404, 502],
  },
  {
    method: 'delete',
    path: topic,
    tag: 'topics',
    summary: 'Delete a topic',
    params: T,
    ok: [204, null],
    errors: [400, 404, 502],
  },
  {
    method: 'get',
    path: `${topic}/configs`,
    tag: 'topics',
    summary: "A topic's configs with their sources",
    params: T,
    ok: [200, ConfigsResponse],
    errors: [400, 404, 502],
  },
  {
    method: 'patch',
    path: `${topic}/configs`,
    tag: 'topics',
    summary: 'Set and remove topic config overrides',
    params: T,
    body: PatchConfigsBody,
    ok: [200, ConfigsResponse],
    errors: [400, 404, 502],
  },
  {
    method: 'post',
    path: `${topic}/partitions`,
    tag: 'topics',
    summary: 'Raise the partition count',
    params: T,
    body: AddPartitionsBody,
    ok: [200, AddPartitionsResponse],
    errors: [400, 404, 502],
  },
  {
    method: 'post',
    path: `${topic}/purge`,
    tag: 'topics',
    summary: 'Delete all records (DeleteRecords to the high watermark)',
    params: T,
    body: PurgeBody,
    ok: [200, PurgeResponse],
    errors: [400, 404, 502],
  },
  {
    method: 'get',
    path: `${topic}/messages`,
    tag: 'messages',
    summary: 'Browse records: newest, oldest, from an offset or a timestamp',
    params: T,
    query: MessagesQuery,
    ok: [200, MessagesResponse],
    errors: [400, 404, 502, 504],
  },
  {
    method: 'post',
    path: `${topic}/messages`,
    tag: 'messages',
    summary: 'Produce a record, optionally several times',
    params: T,
    body: ProduceBody,
    ok: [200, ProduceResponse],
    errors: [400, 404, 502],
  },
  {
    method: 'get',
    path: '/api/v1/groups',
    tag: 'groups',
    summary: 'Consumer groups with state, members, topics and lag',
    ok: [200, GroupsResponse],
    errors: [502],
  },
  {
    method: 'get',
    path: group,
    tag: 'groups',
    summary: 'Members, assignments and per-partition offsets and lag',
    params: GroupParams,
    ok: [200, GroupDetail],
    errors: [404, 502],
  },
  {
    method: 'delete',
    path: group,
    tag: 'groups',
    summary: 'Delete an empty group',
    params: GroupParams,
    ok: [204, null],
    errors: [404, 409, 502],
  },
  {
    method: 'post',
    path: `${group}/reset-offsets`,
    tag: 'groups',
    summary: "Reset an inactive group's offsets on a topic",
    params: GroupParams,
    body: ResetOffsetsBody,
    ok: [200, ResetOffsetsResponse],
    errors: [400, 404, 409, 502],
  },
];

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (INVALID_ARGUMENT with field, or a Kafka INVALID_* error)',
  404: 'Unknown topic, partition, group or broker',
  409: 'Conflict (TOPIC_ALREADY_EXISTS, NON_EMPTY_GROUP)',
  502: 'The Kafka cluster is unreachable (CLUSTER_UNREACHABLE) or refused the request',
  504: 'No records could be read in time',
};

/** JSON Schema for one zod schema, its named parts hoisted into components.schemas. */
function schemaOf(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, JsonSchema>,
): JsonSchema {
  const {
    $defs,
    $schema: _dialect,
    ...rest
  } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
  };
  const rewrite = (s: JsonSchema) =>
    JSON.parse(JSON.stringify(s).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  for (const [name, def] of Object.entries($defs ?? {})) components[name] ??= rewrite(def);
  return rewrite(rest);
}

function parameters(
  obj: z.ZodObject | undefined,
  where: 'path' | 'query',
  components: Record<string, JsonSchema>,
) {
  if (!obj) return [];
  const json = schemaOf(obj, 'input', components) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    schema,
  }));
}

/** The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes validate with. */
export function openApiDocument(): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const errorSchema = schemaOf(ErrorBody, 'output', components);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    const [status, okSchema] = op.ok;
    const responses: Record<string, JsonSchema> = {
      [status]: okSchema
        ? {
            description: 'OK',
            content: { 'application/json': { schema: schemaOf(okSchema, 'output', components) } },
          }
        : { description: 'Done, no content' },
    };
    for (const code of [...op.errors, 500]) {
      responses[code] = {
        description: ERROR_TEXT[code] ?? 'Unexpected error (INTERNAL)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      operationId: `${op.method}${op.path.replace(/\/api\/v1|[{}]/g, '').replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      parameters: [
        ...parameters(op.params, 'path', components),
        ...parameters(op.query, 'query', components),
      ],
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(op.body, 'input', components) } },
            },
          }
        : {}),
      responses,
    };
  }
  components.Error ??= errorSchema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kafka console admin API',
      version: '1',
      description:
        'Manage any Kafka cluster over the Kafka protocol. int64 offsets are decimal strings, timestamps are ms since the epoch. ' +
        'Errors are { error: { code, message, field? } }.',
    },
    paths,
    components: { schemas: components },
  };
}
