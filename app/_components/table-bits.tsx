'use client';

import type { ReactNode } from 'react';

/** A column header that sorts: aria-sort tells assistive tech the current order. */
export function SortHeader<K extends string>({
  label,
  column,
  sort,
  order,
  onSort,
  numeric,
}: {
  label: ReactNode;
  column: K;
  sort: K;
  order: 'asc' | 'desc';
  onSort: (column: K, order: 'asc' | 'desc') => void;
  numeric?: boolean;
}) {
  const active = sort === column;
  const next = active && order === 'asc' ? 'desc' : active ? 'asc' : numeric ? 'desc' : 'asc';
  return (
    <th
      className={numeric ? 'num sortable' : 'sortable'}
      aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        className="sort-button"
        onClick={() => onSort(column, next)}
        data-testid={`sort-${column}`}
      >
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

export function Pager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav className="pager" aria-label="Pages" data-testid="pager">
      <span className="muted">
        {from}–{to} of {total}
      </span>
      <button
        type="button"
        className="btn btn-sm"
        disabled={page <= 1}
        onClick={() => onPage(1)}
        aria-label="First page"
      >
        «
      </button>
      <button type="button" className="btn btn-sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" className="btn btn-sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
      <button
        type="button"
        className="btn btn-sm"
        disabled={page >= pages}
        onClick={() => onPage(pages)}
        aria-label="Last page"
      >
        »
      </button>
    </nav>
  );
}
