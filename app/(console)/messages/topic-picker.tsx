'use client';

import Link from 'next/link';
import { useDeferredValue, useState } from 'react';
import { useTopics, type TopicListParams } from '../../_queries/topics';
import { formatCount, plural } from '../../_components/format';
import { EmptyState, Loading, PageHeader, QueryError } from '../../_components/ui';

export const PICKER_PARAMS: TopicListParams = {
  sort: 'messages',
  order: 'desc',
  pageSize: 50,
  internal: false,
};

/** Entry point for "browse messages": pick a topic, busiest first. */
export function TopicPicker() {
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search.trim());
  const topics = useTopics({ ...PICKER_PARAMS, search: deferred });
  return (
    <>
      <PageHeader title="Messages">
        <span className="muted">Pick a topic to browse or produce to.</span>
      </PageHeader>
      <section className="card">
        <div className="toolbar">
          <input
            type="search"
            className="input-search"
            placeholder="Find a topic"
            aria-label="Find a topic"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoFocus
            data-testid="picker-search"
          />
        </div>
        {topics.isPending ? (
          <Loading what="topics" />
        ) : topics.isError ? (
          <QueryError error={topics.error} />
        ) : topics.data.items.length === 0 ? (
          <EmptyState title={deferred ? `No topic matches “${deferred}”` : 'No topics yet'}>
            <Link href="/topics?create=1">Create a topic</Link> first.
          </EmptyState>
        ) : (
          <ul className="picker" data-testid="topic-picker">
            {topics.data.items.map((t) => (
              <li key={t.name}>
                <Link href={`/topics/${encodeURIComponent(t.name)}/messages`} data-topic={t.name}>
                  <span className="picker-name">{t.name}</span>
                  <span className="muted small">
                    {plural(t.partitions, 'partition')} · {plural(Number(t.messages ?? 0), 'message')}
                  </span>
                </Link>
              </li>
            ))}
            {topics.data.total > topics.data.items.length ? (
              <li className="muted small picker-more">
                {formatCount(topics.data.total - topics.data.items.length)} more; narrow the search.
              </li>
            ) : null}
          </ul>
        )}
      </section>
    </>
  );
}
