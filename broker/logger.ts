/** One pino logger per process; LOG_LEVEL overrides the level (tests default to warn). */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info'),
): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
