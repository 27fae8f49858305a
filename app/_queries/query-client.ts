import { QueryClient, isServer } from '@tanstack/react-query';
import { ApiError } from './api';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Prefetched data counts as fresh long enough that hydration does not refetch it at once.
        staleTime: 5_000,
        // A 4xx (unknown topic, bad parameter) will not change on retry; a 502 (cluster hiccup) may.
        retry: (failures, err) =>
          !(err instanceof ApiError && err.status >= 400 && err.status < 500) && failures < 1,
      },
    },
  });
}

let browserClient: QueryClient | undefined;

/** One client per server render (no data shared across requests); one for the browser's lifetime. */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  return (browserClient ??= makeQueryClient());
}
