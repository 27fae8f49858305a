import type { Metadata } from 'next';
import { Prefetch } from '../../../_queries/prefetch';
import { topicQuery } from '../../../_queries/topics';
import { TopicView } from './topic-view';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ topic: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: (await params).topic };
}

export default async function TopicPage({ params }: Params) {
  const name = (await params).topic;
  return (
    <Prefetch queries={[topicQuery(name)]}>
      <TopicView name={name} />
    </Prefetch>
  );
}
