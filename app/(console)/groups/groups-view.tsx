'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useGroups, type GroupRow } from '../../_queries/groups';
import { compareInt64, formatCount } from '../../_components/format';
import { SortHeader } from '../../_components/table-bits';
import { EmptyState, Loading, Notice, PageHeader, QueryError, StateBadge } from '../../_components/ui';
import { isConsoleGroup } from '../../_queries/console-groups';

export const GROUPS_REFRESH_MS = 10_000;

type Sort = 'groupId' | 'state' | 'members' | 'topics' | 'lag';

const compare: Record<Sort, (a: GroupRow, b: GroupRow) => number> = {
  groupId: (a, b) => a.groupId.localeCompare(b.groupId),
  state: (a, b) => a.state.localeCompare(b.state) || a.groupId.localeCompare(b.groupId),
  members: (a, b) => a.members - b.members,
  topics: (a, b) => a.topics.length - b.topics.length,
  lag: (a, b) => compareInt64(a.lag, b.lag),
};

export function GroupsView() {
  const groups = useGroups(GROUPS_REFRESH_MS);
  const searchParams = useSearchParams();
  const deleted = searchParams.get('deleted');
  const [notice, setNotice] = useState(deleted ? `Deleted group ${deleted}.` : null);
  const [search, setSearch] = useState('');
  const [state, setState] = useState('');
  const [sort, setSort] = useState<Sort>('lag');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const onSort = (s: Sort, o: 'asc' | 'desc') => {
    setSort(s);
    setOrder(o);
  };

  const all = (groups.data?.groups ?? []).filter((g) => !isConsoleGroup(g.groupId));
  const states = [...new Set(all.map((g) => g.state))].sort();
  const needle = search.trim().toLowerCase();
  const rows = all
    .filter((g) => (!needle || g.groupId.toLowerCase().includes(needle)) && (!state || g.state === state))
    .sort((a, b) => (order === 'asc' ? 1 : -1) * compare[sort](a, b));
  const sortProps = { sort, order, onSort } as const;

  return (
    <>
      <PageHeader title="Consumer groups">
        {groups.data ? <span className="muted">{formatCount(all.length)} total</span> : null}
      </PageHeader>
      {notice ? (
        <Notice kind="success" onClose={() => setNotice(null)}>
          {notice}
        </Notice>
      ) : null}
      <section className="card">
        <div className="toolbar">
          <input
            type="search"
            className="input-search"
            placeholder="Search groups"
            aria-label="Search groups"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="group-search"
          />
          <label className="inline-label">
            State
            <select value={state} onChange={(e) => setState(e.target.value)} aria-label="Filter by state">
              <option value="">All</option>
              {states.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          {groups.isFetching ? <span className="spinner" role="status" aria-label="Refreshing" /> : null}
        </div>
        {groups.isPending ? (
          <Loading what="consumer groups" />
        ) : groups.isError ? (
          <QueryError error={groups.error} />
        ) : rows.length === 0 ? (
          all.length === 0 ? (
            <EmptyState title="No consumer groups yet">
              A group appears once a consumer joins with a group.id or commits offsets, e.g.{' '}
              <code>kcat -b host:port -G my-group my-topic</code>.
            </EmptyState>
          ) : (
            <EmptyState title="No group matches the filter" />
          )
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="groups-table">
              <thead>
                <tr>
                  <SortHeader label="Group" column="groupId" {...sortProps} />
                  <SortHeader label="State" column="state" {...sortProps} />
                  <th>Protocol</th>
                  <SortHeader label="Members" column="members" numeric {...sortProps} />
                  <SortHeader label="Topics" column="topics" numeric {...sortProps} />
                  <SortHeader label="Lag" column="lag" numeric {...sortProps} />
                </tr>
              </thead>
              <tbody>
                {rows.map((g) => (
                  <tr key={g.groupId} data-group={g.groupId}>
                    <td>
                      <Link href={`/groups/${encodeURIComponent(g.groupId)}`}>{g.groupId}</Link>
                    </td>
                    <td>
                      <StateBadge state={g.state} />
                    </td>
                    <td className="muted">{g.protocolType || '—'}</td>
                    <td className="num">{g.members}</td>
                    <td className="num" title={g.topics.join(', ')}>
                      {g.topics.length}
                    </td>
                    <td className="num" data-col="lag">
                      {formatCount(g.lag)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
