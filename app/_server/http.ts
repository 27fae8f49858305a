import { NextResponse } from 'next/server';
import { z } from 'zod';
import { invalidArgument, toServiceError } from './errors';

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

type Schema = z.ZodType;
type Out<S> = S extends Schema ? z.output<S> : undefined;

export interface RouteSpec<P, Q, B> {
  params?: P;
  query?: Q;
  body?: B;
}

export interface RouteInput<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  request: Request;
}

/** What Next passes as the second argument of a route handler (params of dynamic segments). */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

const NO_STORE = { 'cache-control': 'no-store' };

export function json(data: unknown, status = 200): Response {
  return NextResponse.json(data, { status, headers: NO_STORE });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: NO_STORE });
}

export function errorResponse(err: unknown): Response {
  const e = toServiceError(err);
  // 5xx from our own code is a bug worth a stack trace; 502/503 are the cluster's state, not ours.
  if (e.status === 500) console.error(err);
  const error: ErrorBody['error'] = { code: e.code, message: e.message };
  if (e.field !== undefined) error.field = e.field;
  return NextResponse.json<ErrorBody>({ error }, { status: e.status, headers: NO_STORE });
}

// `?search=` from an empty form field means "not given", not "the empty string".
function queryObject(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(url).searchParams) if (v !== '') out[k] = v;
  return out;
}

async function readBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalidArgument(`Request body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Wraps a route handler once so every resource parses input and maps failures the same way:
 * params, query and JSON body are validated with the given zod schemas (400 INVALID_ARGUMENT with
 * the offending field), services throw ServiceErrors or kafkajs errors, and the API answers
 * `{ error: { code, message, field? } }` with the matching status. A handler returning a plain
 * value answers 200 with it as JSON.
 */
export function route<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>) => Promise<unknown>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    try {
      const rawParams = spec.params ? await context.params : undefined;
      const params = spec.params ? spec.params.parse(rawParams) : undefined;
      const query = spec.query ? spec.query.parse(queryObject(request.url)) : undefined;
      const body = spec.body ? spec.body.parse(await readBody(request)) : undefined;
      const result = await handler({ params, query, body, request } as RouteInput<P, Q, B>);
      return result instanceof Response ? result : json(result);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
