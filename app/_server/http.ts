import { NextResponse } from 'next/server';
import { toServiceError } from './errors';

export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Wraps a route handler once so every resource maps failures the same way: services throw,
 * the API answers `{ error: { code, message } }` with the status the ServiceError carries.
 */
export function route<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (err) {
      const e = toServiceError(err);
      // 5xx from our own code is a bug worth a stack trace; 502s are the cluster's state, not ours.
      if (e.status >= 500 && e.status !== 502) console.error(err);
      return NextResponse.json<ErrorBody>(
        { error: { code: e.code, message: e.message } },
        { status: e.status, headers: { 'cache-control': 'no-store' } },
      );
    }
  };
}
