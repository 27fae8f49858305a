'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage } from '../../../_queries/api';
import { useDeleteGroup, useGroup, type GroupDetail } from '../../../_queries/groups';
import { ConfirmDialog } from '../../../_components/dialog';
import { formatCount } from '../../../_components/format';
import {
  EmptyState,
  Loading,
  PageHeader,
  QueryError,
  Section,
  StateBadge,
  Stat,
} from '../../../_components/ui';
import { ResetOffsetsForm } from './reset-offsets-form';

export const GROUP_REFRESH_MS = 5_000;

export function GroupView({ id }: { id: string }) {
  const group = useGroup(id, GROUP_REFRESH_MS);
  const [deleting, setDeleting] = useState(false);
  const del = useDeleteGroup();
  const router = useRouter();

  const header = (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/groups">Consumer groups</Link> / <span>{id}</span>
      </nav>
      <PageHeader title={<span data-testid="group-title">{id}</span>}>
        {group.data ? <StateBadge state={group.data.state} /> : null}
        {group.data ? (
          <div className="header-actions">
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => setDeleting(true)}
              data-testid="delete-group"
            >
              Delete group
            </button>
          </div>
        ) : null}
      </PageHeader>
    </>
  );
  if (group.isPending)
    return (
      <>
        {header}
        <Loading what="group" />
      </>
    );
  if (group.isError)
    return (
      <>
        {header}
        <QueryError error={group.error} />
      </>
    );
  const g = group.data;
  const lag = g.offsets.reduce<number | null>(
    (s, o) => (o.lag === null ? s : (s ?? 0) + Number(o.lag)),
    null,
  );
  const topics = [
    ...new Set([
      ...g.offsets.map((o) => o.topic),
      ...g.members.flatMap((m) => m.assignments.map((a) => a.topic)),
    ]),
  ].sort();

  return (
    <>
      {header}
      <div className="stats">
        <Stat label="State" value={g.state} testId="group-state" />
        <Stat label="Members" value={g.members.length} />
        <Stat
          label="Protocol"
          value={g.protocol ? `${g.protocolType || '—'} / ${g.protocol}` : g.protocolType || '—'}
        />
        <Stat label="Topics" value={topics.length} />
        <Stat label="Total lag" value={formatCount(lag)} tone={lag ? 'warn' : 'ok'} testId="group-lag" />
      </div>
      <Members group={g} />
      <Offsets group={g} />
      <Section title="Reset offsets" testId="reset-offsets">
        <ResetOffsetsForm group={g} topics={topics} />
      </Section>
      <ConfirmDialog
        open={deleting}
        title={`Delete group ${id}`}
        confirmLabel="Delete group"
        typeToConfirm={id}
        pending={del.isPending}
        error={del.isError ? errorMessage(del.error) : null}
        testId="delete-group-dialog"
        onClose={() => {
          setDeleting(false);
          del.reset();
        }}
        onConfirm={() =>
          del.mutate(id, { onSuccess: () => router.push(`/groups?deleted=${encodeURIComponent(id)}`) })
        }
      >
        <p>
          Deletes the group and its committed offsets. Kafka only deletes groups with no active members
          {g.members.length > 0 ? `; this one has ${g.members.length}, so stop its consumers first` : ''}.
        </p>
      </ConfirmDialog>
    </>
  );
}

function Members({ group }: { group: GroupDetail }) {
  return (
    <Section title={`Members (${group.members.length})`} testId="group-members">
      {group.members.length === 0 ? (
        <EmptyState title="No active members">
          The group is not consuming right now; its committed offsets remain.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Member ID</th>
                <th>Client ID</th>
                <th>Host</th>
                <th>Assignment</th>
              </tr>
            </thead>
            <tbody>
              {group.members.map((m) => (
                <tr key={m.memberId} data-member={m.memberId}>
                  <td className="mono small wrap-anywhere">{m.memberId}</td>
                  <td>{m.clientId}</td>
                  <td className="mono small">{m.host}</td>
                  <td>
                    {m.assignments.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      m.assignments.map((a) => (
                        <div key={a.topic}>
                          <Link href={`/topics/${encodeURIComponent(a.topic)}`}>{a.topic}</Link>{' '}
                          <span className="muted mono small">[{a.partitions.join(', ')}]</span>
                        </div>
                      ))
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function Offsets({ group }: { group: GroupDetail }) {
  const rows = [...group.offsets].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  const owner = new Map<string, string>();
  for (const m of group.members) {
    for (const a of m.assignments)
      for (const p of a.partitions) owner.set(`${a.topic}:${p}`, m.clientId || m.memberId);
  }
  return (
    <Section title="Offsets" testId="group-offsets">
      {rows.length === 0 ? (
        <EmptyState title="No committed offsets">Lag shows once the group commits offsets.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="offsets-table">
            <thead>
              <tr>
                <th>Topic</th>
                <th className="num">Partition</th>
                <th className="num">Committed</th>
                <th className="num">Log end</th>
                <th className="num">Lag</th>
                <th>Consumer</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o) => (
                <tr key={`${o.topic}:${o.partition}`} data-topic={o.topic} data-partition={o.partition}>
                  <td>
                    <Link href={`/topics/${encodeURIComponent(o.topic)}`}>{o.topic}</Link>
                  </td>
                  <td className="num mono">{o.partition}</td>
                  <td className="num mono" data-col="committed">
                    {formatCount(o.committed)}
                  </td>
                  <td className="num mono" data-col="log-end">
                    {formatCount(o.logEnd)}
                  </td>
                  <td className={o.lag ? 'num mono warn-text' : 'num mono'} data-col="lag">
                    {formatCount(o.lag)}
                  </td>
                  <td className="muted small">{owner.get(`${o.topic}:${o.partition}`) ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
