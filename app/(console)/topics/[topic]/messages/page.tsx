import type { Metadata } from 'next';
import { Prefetch } from '../../../../_queries/prefetch';
import { messagesQuery } from '../../../../_queries/messages';
import { topicQuery } from '../../../../_queries/topics';
import { DEFAULT_BROWSE } from './browse';
import { MessagesView } from './messages-view';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ topic: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Messages · ${(await params).topic}` };
}

export default async function MessagesPage({ params }: Params) {
  const name = (await params).topic;
  return (
    <Prefetch queries={[topicQuery(name), messagesQuery(name, DEFAULT_BROWSE)]}>
      <MessagesView topic={name} />
    </Prefetch>
  );
}
