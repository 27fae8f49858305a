'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../_queries/api';
import { useDeleteTopic, useTopics, type TopicListParams, type TopicSort } from '../../_queries/topics';
import { ConfirmDialog } from '../../_components/dialog';
import { formatCount } from '../../_components/format';
import { Pager, SortHeader } from '../../_components/table-bits';
import { Badge, EmptyState, Loading, Notice, PageHeader, QueryError } from '../../_components/ui';
import { CreateTopicDialog } from './create-topic-dialog';
import { PAGE_SIZES, topicParamsFrom, topicParamsToSearch } from './topic-params';

type Outcome = { kind: 'success' | 'error'; text: string; topic?: string } | null;

export function TopicsView() {
  const searchParams = useSearchParams();
  const params = topicParamsFrom(searchParams);
  const topics = useTopics(params);
  const [searchText, setSearchText] = useState(params.search ?? '');
  const [creating, setCreating] = useState(searchParams.get('create') === '1');
  const [deleting, setDeleting] = useState<string | null>(null);
  const deletedName = searchParams.get('deleted');
  const [outcome, setOutcome] = useState<Outcome>(
    deletedName ? { kind: 'success', text: `Deleted topic ${deletedName}.` } : null,
  );
  const del = useDeleteTopic();

  // Native history updates keep Next's router in sync without a server round trip per keystroke.
  const navigate = (next: TopicListParams) => {
    window.history.replaceState(null, '', `/topics${topicParamsToSearch(next)}`);
  };

  useEffect(() => {
    if (searchText === (params.search ?? '')) return;
    const t = setTimeout(() => navigate({ ...params, search: searchText.trim(), page: 1 }), 250);
    return () => clearTimeout(t);
  }, [searchText]);

  const onSort = (sort: TopicSort, order: 'asc' | 'desc') => navigate({ ...params, sort, order, page: 1 });
  const sortProps = { sort: params.sort ?? 'name', order: params.order ?? 'asc', onSort } as const;

  return (
    <>
      <PageHeader title="Topics">
        {topics.data ? <span className="muted">{formatCount(topics.data.total)} total</span> : null}
        <div className="header-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setCreating(true)}
            data-testid="create-topic"
          >
            + Create topic
          </button>
        </div>
      </PageHeader>
      {outcome ? (
        <Notice kind={outcome.kind} onClose={() => setOutcome(null)}>
          {outcome.text}{' '}
          {outcome.topic ? (
            <Link href={`/topics/${encodeURIComponent(outcome.topic)}`}>Open {outcome.topic}</Link>
          ) : null}
        </Notice>
      ) : null}
      <section className="card">
        <div className="toolbar">
          <input
            type="search"
            className="input-search"
            placeholder="Search topics by name"
            aria-label="Search topics"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            data-testid="topic-search"
          />
          <label className="check">
            <input
              type="checkbox"
              checked={params.internal ?? false}
              onChange={(e) => navigate({ ...params, internal: e.target.checked, page: 1 })}
            />
            Show internal topics
          </label>
          <label className="inline-label">
            Rows
            <select
              value={params.pageSize}
              onChange={(e) => navigate({ ...params, pageSize: Number(e.target.value), page: 1 })}
              aria-label="Rows per page"
            >
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          {topics.isFetching ? <span className="spinner" role="status" aria-label="Refreshing" /> : null}
        </div>
        {topics.isPending ? (
          <Loading what="topics" />
        ) : topics.isError ? (
          <QueryError error={topics.error} />
        ) : topics.data.items.length === 0 ? (
          params.search ? (
            <EmptyState title={`No topic matches “${params.search}”`}>
              Clear the search or create the topic.
            </EmptyState>
          ) : (
            <EmptyState title="No topics yet">
              Create one with <strong>+ Create topic</strong>, or let a producer auto-create it.
            </EmptyState>
          )
        ) : (
          <>
            <div className="table-scroll">
              <table className="table" data-testid="topics-table">
                <thead>
                  <tr>
                    <SortHeader label="Name" column="name" {...sortProps} />
                    <SortHeader label="Partitions" column="partitions" numeric {...sortProps} />
                    <SortHeader label="Replication" column="replicationFactor" numeric {...sortProps} />
                    <SortHeader label="Under-replicated" column="underReplicated" numeric {...sortProps} />
                    <SortHeader label="Messages" column="messages" numeric {...sortProps} />
                    <th className="actions-col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {topics.data.items.map((t) => (
                    <tr key={t.name} data-topic={t.name}>
                      <td className="name-cell">
                        <Link href={`/topics/${encodeURIComponent(t.name)}`} data-testid="topic-link">
                          {t.name}
                        </Link>
                        {t.internal ? <Badge tone="neutral">internal</Badge> : null}
                      </td>
                      <td className="num" data-col="partitions">
                        {t.partitions}
                      </td>
                      <td className="num">{t.replicationFactor}</td>
                      <td className={t.underReplicated > 0 ? 'num warn-text' : 'num'}>{t.underReplicated}</td>
                      <td className="num" data-col="messages">
                        {formatCount(t.messages)}
                      </td>
                      <td className="actions-col">
                        <div className="row-actions">
                          <Link
                            className="btn btn-sm"
                            href={`/topics/${encodeURIComponent(t.name)}/messages`}
                          >
                            Messages
                          </Link>
                          {t.internal ? null : (
                            <button
                              type="button"
                              className="btn btn-sm btn-danger-outline"
                              onClick={() => setDeleting(t.name)}
                              aria-label={`Delete ${t.name}`}
                            >
                              Delete
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={topics.data.page}
              pageSize={topics.data.pageSize}
              total={topics.data.total}
              onPage={(page) => navigate({ ...params, page })}
            />
          </>
        )}
      </section>
      <CreateTopicDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(name) => {
          setCreating(false);
          setOutcome({ kind: 'success', text: `Created topic ${name}.`, topic: name });
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete topic ${deleting ?? ''}`}
        confirmLabel="Delete topic"
        typeToConfirm={deleting ?? ''}
        pending={del.isPending}
        error={del.isError ? errorMessage(del.error) : null}
        testId="delete-topic-dialog"
        onClose={() => {
          setDeleting(null);
          del.reset();
        }}
        onConfirm={() => {
          const name = deleting;
          if (!name) return;
          del.mutate(name, {
            onSuccess: () => {
              setDeleting(null);
              setOutcome({ kind: 'success', text: `Deleted topic ${name}.` });
            },
          });
        }}
      >
        <p>
          This deletes <strong>{deleting}</strong> and all of its messages on every broker. Consumers reading
          it will get errors. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
