import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../_queries/api';
import { ErrorBox } from './error-box';

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children}
    </header>
  );
}

export function Stat({
  label,
  value,
  mono,
  tone,
  testId,
}: {
  label: string;
  value: ReactNode;
  mono?: boolean;
  tone?: 'warn' | 'ok';
  testId?: string;
}) {
  return (
    <div className={tone ? `stat stat-${tone}` : 'stat'} data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className={mono ? 'stat-value mono' : 'stat-value'}>{value}</div>
    </div>
  );
}

const STATE_TONES: Record<string, string> = {
  Stable: 'ok',
  Empty: 'neutral',
  PreparingRebalance: 'warn',
  CompletingRebalance: 'warn',
  Dead: 'bad',
};

export function Badge({ tone = 'info', children }: { tone?: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function StateBadge({ state }: { state: string }) {
  return <Badge tone={STATE_TONES[state] ?? 'neutral'}>{state}</Badge>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" data-testid="empty-state">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

/** The API's error for a failed query, with what to do about the common cases. */
export function QueryError({
  error,
  title,
  children,
}: {
  error: unknown;
  title?: string;
  children?: ReactNode;
}) {
  const code = error instanceof ApiError ? error.code : undefined;
  const status = error instanceof ApiError ? error.status : undefined;
  const heading =
    title ??
    (code === 'CLUSTER_UNREACHABLE'
      ? 'Cannot reach the Kafka cluster'
      : status === 404
        ? 'Not found'
        : 'Request failed');
  return (
    <ErrorBox title={heading} code={code}>
      <p>{errorMessage(error)}</p>
      {children ? (
        children
      ) : code === 'CLUSTER_UNREACHABLE' ? (
        <p className="muted">
          Start the embedded cluster with <code>npm start</code>, or set <code>KAFKA_BROKERS</code> to the
          bootstrap servers of an existing cluster.
        </p>
      ) : null}
    </ErrorBox>
  );
}

/** A one-line outcome of a mutation: announced to screen readers, removable by the user. */
export function Notice({
  kind,
  children,
  onClose,
  testId,
}: {
  kind: 'success' | 'error' | 'info';
  children: ReactNode;
  onClose?: () => void;
  testId?: string;
}) {
  return (
    <div
      className={`notice notice-${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={testId ?? `notice-${kind}`}
    >
      <div className="notice-body">{children}</div>
      {onClose ? (
        <button type="button" className="btn-icon" aria-label="Dismiss" onClick={onClose}>
          ×
        </button>
      ) : null}
    </div>
  );
}

export function Section({
  title,
  actions,
  children,
  testId,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="card" data-testid={testId}>
      <div className="card-header">
        <h2>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
