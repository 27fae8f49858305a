// Shared by server components (prefetch) and the browser (hooks): one fetch path, so the JSON the
// server puts into the react-query cache is exactly what the browser would have fetched.

/** An API failure as the REST API reports it: `{ error: { code, message, field? } }` plus the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// The server prefetch calls the console's own route handlers over loopback. `next start` records the
// port it bound in PORT; CONSOLE_INTERNAL_URL overrides when the server listens elsewhere.
function origin(): string {
  if (typeof window !== 'undefined') return '';
  const explicit = process.env.CONSOLE_INTERNAL_URL;
  if (explicit) return explicit.replace(/\/$/, '');
  return `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
}

// A server render must not hang on a stalled cluster: past this the page renders and the browser retries.
const SERVER_TIMEOUT_MS = 8_000;

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function enc(segment: string | number): string {
  return encodeURIComponent(String(segment));
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const err = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | undefined)?.error;
  if (err && typeof err.message === 'string') {
    return new ApiError(
      res.status,
      typeof err.code === 'string' ? err.code : `HTTP_${res.status}`,
      err.message,
      typeof err.field === 'string' ? err.field : undefined,
    );
  }
  return new ApiError(
    res.status,
    `HTTP_${res.status}`,
    `${res.status} ${res.statusText || 'request failed'}`,
  );
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const server = typeof window === 'undefined';
  let res: Response;
  try {
    res = await fetch(`${origin()}${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: 'no-store',
      signal: init.signal ?? (server ? AbortSignal.timeout(SERVER_TIMEOUT_MS) : undefined),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', `The console server did not answer: ${(err as Error).message}`);
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A message for any error a hook can hold, for banners and inline notices. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
