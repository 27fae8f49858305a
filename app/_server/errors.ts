import { KafkaJSError } from 'kafkajs';
import { ZodError } from 'zod';

/** An error a route handler can map to `{ error: { code, message, field? } }` with a definite HTTP status. */
export class ServiceError extends Error {
  readonly field?: string;

  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    options?: { cause?: unknown; field?: string },
  ) {
    super(message, options);
    this.name = 'ServiceError';
    if (options?.field !== undefined) this.field = options.field;
  }
}

export function invalidArgument(message: string, field?: string): ServiceError {
  return new ServiceError('INVALID_ARGUMENT', message, 400, { field });
}

export function notFound(code: string, message: string): ServiceError {
  return new ServiceError(code, message, 404);
}

// Statuses for the Kafka error names (Errors.java) a console request can meet. Anything else the
// cluster answers with is a 502: the request was fine, the upstream refused it.
const KAFKA_STATUS: Record<string, number> = {
  UNKNOWN_TOPIC_OR_PARTITION: 404,
  UNKNOWN_TOPIC_ID: 404,
  GROUP_ID_NOT_FOUND: 404,
  RESOURCE_NOT_FOUND: 404,
  TOPIC_ALREADY_EXISTS: 409,
  NON_EMPTY_GROUP: 409,
  REBALANCE_IN_PROGRESS: 409,
  GROUP_SUBSCRIBED_TO_TOPIC: 409,
  UNKNOWN_MEMBER_ID: 409,
  ILLEGAL_GENERATION: 409,
  POLICY_VIOLATION: 400,
  OFFSET_OUT_OF_RANGE: 400,
  MESSAGE_TOO_LARGE: 400,
  RECORD_LIST_TOO_LARGE: 400,
  CORRUPT_MESSAGE: 400,
  UNSUPPORTED_COMPRESSION_TYPE: 400,
  TOPIC_DELETION_DISABLED: 403,
  NOT_CONTROLLER: 503,
  LEADER_NOT_AVAILABLE: 503,
  NOT_LEADER_FOR_PARTITION: 503,
  NOT_LEADER_OR_FOLLOWER: 503,
  COORDINATOR_NOT_AVAILABLE: 503,
  COORDINATOR_LOAD_IN_PROGRESS: 503,
  NOT_COORDINATOR: 503,
  NOT_ENOUGH_REPLICAS: 503,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 503,
  REQUEST_TIMED_OUT: 503,
  KAFKA_STORAGE_ERROR: 503,
};

function kafkaStatus(type: string): number {
  const known = KAFKA_STATUS[type];
  if (known !== undefined) return known;
  if (type.startsWith('INVALID_')) return 400;
  if (type.endsWith('_AUTHORIZATION_FAILED')) return 403;
  return 502;
}

// kafkajs wraps the real failure several levels deep (NumberOfRetriesExceeded -> ConnectionError
// -> ECONNREFUSED), and admin calls collect per-item protocol errors in arrays (CreateTopics ->
// KafkaJSAggregateError.errors, DeleteGroups -> .groups[].error, DeleteRecords -> .partitions[].error).
function relatedErrors(err: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.length < 16) {
    const cur = queue.shift();
    if (cur === undefined || cur === null || seen.includes(cur)) continue;
    seen.push(cur);
    if (typeof cur !== 'object') continue;
    const e = cur as {
      originalError?: unknown;
      cause?: unknown;
      errors?: unknown[];
      groups?: { error?: unknown }[];
      partitions?: { error?: unknown }[];
    };
    queue.push(e.originalError, e.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
    if (Array.isArray(e.groups)) queue.push(...e.groups.map((g) => g?.error));
    if (Array.isArray(e.partitions)) queue.push(...e.partitions.map((p) => p?.error));
  }
  return seen;
}

/** The Kafka error name (e.g. 'UNKNOWN_TOPIC_OR_PARTITION') carried anywhere in a kafkajs failure. */
export function kafkaErrorType(err: unknown): string | undefined {
  for (const e of relatedErrors(err)) {
    const type = (e as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && type.length > 0 && type !== 'UNKNOWN') return type;
  }
  return undefined;
}

function rootMessage(chain: unknown[]): string {
  for (let i = chain.length - 1; i >= 0; i--) {
    const e = chain[i];
    if (e instanceof Error && e.message) return e.message;
  }
  return String(chain[0]);
}

function zodToServiceError(err: ZodError): ServiceError {
  const issue = err.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : err.message;
  return new ServiceError('INVALID_ARGUMENT', message, 400, { cause: err, field });
}

/**
 * Maps any failure to the API's error vocabulary: our own ServiceErrors pass through, validation
 * is a 400, a Kafka error code keeps Kafka's name, and a kafkajs failure without one means the
 * cluster could not be reached (the console is healthy, the upstream is not).
 */
export function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  if (err instanceof ZodError) return zodToServiceError(err);
  const related = relatedErrors(err);
  const type = kafkaErrorType(err);
  if (type !== undefined) {
    const source = related.find((e) => (e as { type?: unknown } | null)?.type === type);
    const message = source instanceof Error && source.message ? source.message : rootMessage(related);
    return new ServiceError(type, message, kafkaStatus(type), { cause: err });
  }
  if (related.some((e) => e instanceof KafkaJSError)) {
    return new ServiceError('CLUSTER_UNREACHABLE', rootMessage(related), 502, { cause: err });
  }
  return new ServiceError('INTERNAL', rootMessage(related), 500, { cause: err });
}
