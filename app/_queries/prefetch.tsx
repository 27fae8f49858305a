import { HydrationBoundary, dehydrate, type FetchQueryOptions } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { makeQueryClient } from './query-client';

/**
 * Server side of the TanStack prefetch pattern: run the same query options the client hooks use,
 * then hand the cache to the browser. A failed prefetch is not dehydrated; the client hook retries
 * and renders the error itself, so a down cluster never turns into a server error page.
 */
export async function Prefetch({
  queries,
  children,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  queries: FetchQueryOptions<any, any, any, any>[];
  children: ReactNode;
}) {
  const client = makeQueryClient();
  await Promise.all(queries.map((q) => client.prefetchQuery(q)));
  return <HydrationBoundary state={dehydrate(client)}>{children}</HydrationBoundary>;
}
