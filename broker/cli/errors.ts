/**
 * What the tools report when something goes wrong: always one line on stderr and exit code 1, never
 * a stack trace for a user's mistake or an unreachable cluster (KAFKA_CLI_DEBUG=1 adds the stack).
 */
import { KAFKA_ERRORS } from '../protocol/generated/errors';

/** A mistake in the command line: bad or missing option, conflicting actions. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the tool can explain in one line (cluster unreachable, topic missing, broker refusal). */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    /** Print the message as is, without the "Error: " prefix (for Kafka's own error phrasing). */
    readonly plain = false,
  ) {
    super(message);
  }
}

/** A Kafka error code from a response, with the broker's own message when it sent one. */
export class KafkaCodeError extends CliError {
  constructor(
    readonly code: number,
    brokerMessage?: string | null,
    readonly subject?: string,
  ) {
    super(brokerMessage || describeCode(code));
  }

  get codeName(): string {
    return KAFKA_ERRORS[this.code]?.name ?? `error code ${this.code}`;
  }
}

export function describeCode(code: number): string {
  const info = KAFKA_ERRORS[code];
  if (!info) return `Kafka error code ${code}`;
  return info.message ? `${info.message} (${info.name})` : info.name;
}

export function throwIfError(code: number, message?: string | null, subject?: string): void {
  if (code !== 0) throw new KafkaCodeError(code, message, subject);
}

interface KafkajsLikeError {
  name?: string;
  message?: string;
  type?: string;
  errors?: unknown[];
  cause?: unknown;
  originalError?: unknown;
  retriable?: boolean;
}

/** One line for any error, unwrapping kafkajs's retry and aggregate wrappers to the real cause. */
export function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let e = err as KafkajsLikeError & Error;
  for (let depth = 0; depth < 5; depth++) {
    const inner = e.originalError ?? e.cause;
    if (e.name === 'KafkaJSNumberOfRetriesExceeded' && inner instanceof Error) e = inner as typeof e;
    else break;
  }
  if (e.name === 'KafkaJSAggregateError' && Array.isArray(e.errors) && e.errors.length > 0)
    return e.errors.map((x) => oneLine(x)).join('; ');
  const text = (e.message ?? String(e)).split('\n')[0];
  return e.type && !text.includes(e.type) ? `${text} (${e.type})` : text;
}
