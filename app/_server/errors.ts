import { KafkaJSError, KafkaJSProtocolError } from 'kafkajs';

/** An error a route handler can map to `{ error: { code, message } }` with a definite HTTP status. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ServiceError';
  }
}

// kafkajs wraps the real failure several levels deep (NumberOfRetriesExceeded -> ConnectionError
// -> ECONNREFUSED); the innermost error is the one an operator can act on.
function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [err];
  let cur: unknown = err;
  while (cur instanceof Error && chain.length < 6) {
    const next: unknown = (cur as { originalError?: unknown }).originalError ?? cur.cause;
    if (next === undefined || next === null || chain.includes(next)) break;
    chain.push(next);
    cur = next;
  }
  return chain;
}

function rootMessage(chain: unknown[]): string {
  for (let i = chain.length - 1; i >= 0; i--) {
    const e = chain[i];
    if (e instanceof Error && e.message) return e.message;
  }
  return String(chain[0]);
}

/**
 * Any kafkajs failure while talking to the cluster is a bad gateway from the console's point of view:
 * the console is healthy, the upstream Kafka cluster is not (or refused the request).
 */
export function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  const chain = causeChain(err);
  const message = rootMessage(chain);
  // A protocol error means the cluster answered, so "unreachable" would send the operator the wrong way.
  if (chain.some((e) => e instanceof KafkaJSProtocolError)) {
    return new ServiceError('KAFKA_ERROR', message, 502, { cause: err });
  }
  if (err instanceof KafkaJSError) {
    return new ServiceError('CLUSTER_UNREACHABLE', message, 502, { cause: err });
  }
  return new ServiceError('INTERNAL', message, 500, { cause: err });
}
