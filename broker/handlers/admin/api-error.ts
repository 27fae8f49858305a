/** Per-item results of the admin APIs: an error code with Kafka's message (ApiError in Kafka). */
import { ErrorCode, KAFKA_ERRORS } from '../../protocol/generated/errors';

export interface ApiError {
  errorCode: number;
  errorMessage: string | null;
}

export const NO_ERROR: ApiError = { errorCode: ErrorCode.NONE, errorMessage: null };

/** An error with its own message, or Kafka's default text for the code. */
export function apiError(errorCode: number, errorMessage?: string): ApiError {
  return { errorCode, errorMessage: errorMessage ?? KAFKA_ERRORS[errorCode]?.message ?? null };
}

/**
 * Kafka's controller refuses one request that would write more than this many metadata records
 * (QuorumController MAX_RECORDS_PER_USER_OP) with POLICY_VIOLATION for every item.
 */
export const MAX_RECORDS_PER_USER_OP = 10_000;
export const TOO_MANY_RECORDS = apiError(
  ErrorCode.POLICY_VIOLATION,
  'Unable to perform excessively large batch operation.',
);

/** Names that appear more than once in a request (each is answered once, with INVALID_REQUEST). */
export function duplicates<T>(items: readonly T[]): Set<T> {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const x of items) (seen.has(x) ? dup : seen).add(x);
  return dup;
}
