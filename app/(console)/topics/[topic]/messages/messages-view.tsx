'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useMessages, type BrowseParams, type KafkaMessage } from '../../../../_queries/messages';
import { useTopic } from '../../../../_queries/topics';
import { formatCount, formatTimestamp } from '../../../../_components/format';
import { EmptyState, Loading, PageHeader, QueryError, Section } from '../../../../_components/ui';
import {
  DEFAULT_BROWSE,
  DEFAULT_FORM,
  LIMITS,
  formToParams,
  pageLinks,
  type BrowseForm,
  type Mode,
} from './browse';
import { download, messagesToCsv, messagesToJson } from './export';
import { ProduceForm } from './produce-form';
import { VIEWS, renderValue, type ValueView } from './value-format';

const MODES: { id: Mode; label: string }[] = [
  { id: 'newest', label: 'Newest' },
  { id: 'oldest', label: 'Oldest' },
  { id: 'offset', label: 'From offset' },
  { id: 'timestamp', label: 'From time' },
];

export function MessagesView({ topic }: { topic: string }) {
  const detail = useTopic(topic);
  const [form, setForm] = useState<BrowseForm>(DEFAULT_FORM);
  const [formError, setFormError] = useState<string | null>(null);
  const [params, setParams] = useState<BrowseParams>(DEFAULT_BROWSE);
  const [view, setView] = useState<ValueView>('text');
  const [producing, setProducing] = useState(false);
  const messages = useMessages(topic, params);
  const partitionIds =
    detail.data?.partitions.map((p) => p.partition).sort((a, b) => a - b) ??
    messages.data?.partitions.map((p) => p.partition) ??
    [];
  const links = pageLinks(params, messages.data);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const { params: next, error } = formToParams(form);
    setFormError(error ?? null);
    if (next) setParams(next);
  };

  const goTo = (next: BrowseParams) => {
    setParams(next);
    setForm((f) => ({
      ...f,
      partition: String(next.partition ?? ''),
      mode: 'offset',
      offset: next.offset ?? f.offset,
    }));
  };

  const list = messages.data?.messages ?? [];
  const baseName = `${topic}${params.partition !== undefined ? `-p${params.partition}` : ''}${params.offset !== undefined ? `-o${params.offset}` : ''}`;

  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/topics">Topics</Link> /{' '}
        <Link href={`/topics/${encodeURIComponent(topic)}`}>{topic}</Link> / <span>Messages</span>
      </nav>
      <PageHeader title={<span data-testid="messages-title">Messages · {topic}</span>}>
        <div className="header-actions">
          <button
            type="button"
            className={producing ? 'btn' : 'btn btn-primary'}
            onClick={() => setProducing((p) => !p)}
            aria-expanded={producing}
            data-testid="produce-toggle"
          >
            {producing ? 'Hide producer' : 'Produce messages'}
          </button>
        </div>
      </PageHeader>
      {producing ? (
        <Section title="Produce">
          <ProduceForm topic={topic} partitions={partitionIds} />
        </Section>
      ) : null}
      <section className="card">
        <form className="browse-bar" onSubmit={apply} data-testid="browse-form">
          <label className="inline-label">
            Partition
            <select
              value={form.partition}
              onChange={(e) => setForm({ ...form, partition: e.target.value })}
              data-testid="browse-partition"
            >
              <option value="">All</option>
              {partitionIds.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <div className="segmented" role="radiogroup" aria-label="Start position">
            {MODES.map((m) => (
              <label
                key={m.id}
                className={form.mode === m.id ? 'seg active' : 'seg'}
                data-testid={`mode-${m.id}`}
              >
                <input
                  type="radio"
                  name="mode"
                  value={m.id}
                  checked={form.mode === m.id}
                  onChange={() => setForm({ ...form, mode: m.id })}
                />
                {m.label}
              </label>
            ))}
          </div>
          {form.mode === 'offset' ? (
            <label className="inline-label">
              Offset
              <input
                className="mono input-narrow"
                inputMode="numeric"
                value={form.offset}
                onChange={(e) => setForm({ ...form, offset: e.target.value })}
                data-testid="browse-offset"
              />
            </label>
          ) : null}
          {form.mode === 'timestamp' ? (
            <label className="inline-label">
              Time (UTC)
              <input
                type="datetime-local"
                step="0.001"
                value={form.time}
                onChange={(e) => setForm({ ...form, time: e.target.value })}
                data-testid="browse-time"
              />
            </label>
          ) : null}
          <label className="inline-label">
            Limit
            <select
              value={form.limit}
              onChange={(e) => setForm({ ...form, limit: Number(e.target.value) })}
              data-testid="browse-limit"
            >
              {LIMITS.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn-primary" data-testid="browse-submit">
            Show
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => void messages.refetch()}
            disabled={messages.isFetching}
            data-testid="browse-refresh"
          >
            {messages.isFetching ? 'Loading…' : 'Refresh'}
          </button>
        </form>
        {formError ? (
          <p className="field-error" role="alert">
            {formError}
          </p>
        ) : null}
        <div className="toolbar toolbar-split">
          <div className="segmented" role="radiogroup" aria-label="Value format">
            {VIEWS.map((v) => (
              <label key={v.id} className={view === v.id ? 'seg active' : 'seg'} data-testid={`view-${v.id}`}>
                <input
                  type="radio"
                  name="view"
                  value={v.id}
                  checked={view === v.id}
                  onChange={() => setView(v.id)}
                />
                {v.label}
              </label>
            ))}
          </div>
          <PartitionBounds partitions={messages.data?.partitions} />
          <div className="row-actions">
            <button
              type="button"
              className="btn btn-sm"
              disabled={!links.older}
              title={links.reason}
              onClick={() => links.older && goTo(links.older)}
              data-testid="page-older"
            >
              ← Older
            </button>
            <button
              type="button"
              className="btn btn-sm"
              disabled={!links.newer}
              title={links.reason}
              onClick={() => links.newer && goTo(links.newer)}
              data-testid="page-newer"
            >
              Newer →
            </button>
            <button
              type="button"
              className="btn btn-sm"
              disabled={list.length === 0}
              onClick={() => download(`${baseName}.json`, messagesToJson(topic, list), 'application/json')}
              data-testid="export-json"
            >
              Export JSON
            </button>
            <button
              type="button"
              className="btn btn-sm"
              disabled={list.length === 0}
              onClick={() => download(`${baseName}.csv`, messagesToCsv(list), 'text/csv')}
              data-testid="export-csv"
            >
              Export CSV
            </button>
          </div>
        </div>
        {links.reason ? <p className="muted small">{links.reason}</p> : null}
        {messages.isPending ? (
          <Loading what="messages" />
        ) : messages.isError ? (
          <QueryError error={messages.error} />
        ) : list.length === 0 ? (
          <EmptyState title="No messages here">
            Nothing in this range. Try <strong>Oldest</strong>, another partition, or produce one with{' '}
            <strong>Produce messages</strong>.
          </EmptyState>
        ) : (
          <MessageTable messages={list} view={view} />
        )}
      </section>
    </>
  );
}

/** A partition's readable offsets: the high watermark is the next offset, so the last one is high - 1. */
function bounds(low: string | number, high: string | number): string {
  const lo = BigInt(low);
  const hi = BigInt(high);
  return hi > lo ? `${formatCount(lo)}–${formatCount(hi - 1n)}` : `empty at ${formatCount(hi)}`;
}

function PartitionBounds({
  partitions,
}: {
  partitions?: { partition: number; low: string | number; high: string | number }[];
}) {
  if (!partitions || partitions.length === 0) return null;
  const shown = partitions.slice(0, 8);
  return (
    <span className="muted small bounds" data-testid="partition-bounds" title="Offsets held per partition">
      {shown.map((p) => `p${p.partition}: ${bounds(p.low, p.high)}`).join(' · ')}
      {partitions.length > shown.length ? ` · +${partitions.length - shown.length} more` : ''}
    </span>
  );
}

function MessageTable({ messages, view }: { messages: KafkaMessage[]; view: ValueView }) {
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (k: string) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    });
  return (
    <div className="table-scroll">
      <table className="table table-messages" data-testid="messages-table">
        <thead>
          <tr>
            <th aria-label="Expand" />
            <th className="num">Partition</th>
            <th className="num">Offset</th>
            <th>Timestamp</th>
            <th>Key</th>
            <th>Value</th>
            <th>Headers</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => {
            const k = `${m.partition}:${m.offset}`;
            const open = expanded.has(k);
            const value = renderValue(m.value, m.valueBase64, view);
            return (
              <tr key={k} data-testid="message-row" data-partition={m.partition} data-offset={m.offset}>
                <td>
                  <button
                    type="button"
                    className="btn-icon"
                    aria-expanded={open}
                    aria-label={open ? `Collapse offset ${m.offset}` : `Expand offset ${m.offset}`}
                    onClick={() => toggle(k)}
                  >
                    {open ? '▾' : '▸'}
                  </button>
                </td>
                <td className="num mono">{m.partition}</td>
                <td className="num mono" data-testid="message-offset">
                  {m.offset}
                </td>
                <td className="mono nowrap small">{formatTimestamp(m.timestamp)}</td>
                <td className="mono key-cell" data-testid="message-key">
                  {m.key !== null ? (
                    m.key
                  ) : m.keyBase64 !== null ? (
                    <span title="Not valid UTF-8; shown as base64">base64:{m.keyBase64}</span>
                  ) : (
                    <span className="muted">null</span>
                  )}
                </td>
                <td className="value-cell">
                  {value.note ? <span className="badge badge-neutral">{value.note}</span> : null}
                  <pre className={open ? 'value' : 'value clamp'} data-testid="message-value">
                    {value.isNull ? <span className="muted">null</span> : value.text}
                  </pre>
                </td>
                <td className="headers-cell" data-testid="message-headers">
                  {m.headers.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <ul className="header-list">
                      {(open ? m.headers : m.headers.slice(0, 3)).map((h, i) => (
                        <li key={i}>
                          <span className="header-key">{h.key}</span>
                          <span className="header-value">
                            {h.value ?? (h.valueBase64 !== null ? `base64:${h.valueBase64}` : 'null')}
                          </span>
                        </li>
                      ))}
                      {!open && m.headers.length > 3 ? (
                        <li className="muted">+{m.headers.length - 3} more</li>
                      ) : null}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
