import type { Metadata } from 'next';
import { Prefetch } from '../../_queries/prefetch';
import { topicsQuery } from '../../_queries/topics';
import { PICKER_PARAMS, TopicPicker } from './topic-picker';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Messages' };

export default function MessagesIndexPage() {
  return (
    <Prefetch queries={[topicsQuery(PICKER_PARAMS)]}>
      <TopicPicker />
    </Prefetch>
  );
}
