import type { Metadata } from 'next';
import { Prefetch } from '../../_queries/prefetch';
import { topicsQuery } from '../../_queries/topics';
import { recordSource, topicParamsFrom } from './topic-params';
import { TopicsView } from './topics-view';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Topics' };

export default async function TopicsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = topicParamsFrom(recordSource(await searchParams));
  return (
    <Prefetch queries={[topicsQuery(params)]}>
      <TopicsView />
    </Prefetch>
  );
}
