'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage } from '../../../_queries/api';
import { useAlterTopicConfigs, useDeleteTopic, useTopic, type TopicDetail } from '../../../_queries/topics';
import { ConfigTable } from '../../../_components/config-table';
import { ConfirmDialog } from '../../../_components/dialog';
import { formatCount, toBigInt } from '../../../_components/format';
import {
  Badge,
  EmptyState,
  Loading,
  Notice,
  PageHeader,
  QueryError,
  Section,
  StateBadge,
  Stat,
} from '../../../_components/ui';
import { AddPartitionsDialog, PurgeDialog } from './topic-actions';

type Outcome = { kind: 'success' | 'error'; text: string } | null;

export function TopicView({ name }: { name: string }) {
  const topic = useTopic(name);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [dialog, setDialog] = useState<'partitions' | 'purge' | 'delete' | null>(null);
  const [pendingConfig, setPendingConfig] = useState<string | null>(null);
  const alter = useAlterTopicConfigs(name);
  const del = useDeleteTopic();
  const router = useRouter();
  // A new action replaces the last one's outcome, so a stale message never reads as this one's.
  const openDialog = (d: 'partitions' | 'purge' | 'delete') => {
    setOutcome(null);
    setDialog(d);
  };

  const header = (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/topics">Topics</Link> / <span>{name}</span>
      </nav>
      <PageHeader title={<span data-testid="topic-title">{name}</span>}>
        {topic.data?.internal ? <Badge tone="neutral">internal</Badge> : null}
        {topic.data?.topicId ? <span className="muted mono small">{topic.data.topicId}</span> : null}
        {topic.data ? (
          <div className="header-actions">
            <Link
              className="btn btn-primary"
              href={`/topics/${encodeURIComponent(name)}/messages`}
              data-testid="browse-messages"
            >
              Messages
            </Link>
            <button
              type="button"
              className="btn"
              onClick={() => openDialog('partitions')}
              data-testid="add-partitions"
            >
              Add partitions
            </button>
            <button
              type="button"
              className="btn btn-danger-outline"
              onClick={() => openDialog('purge')}
              data-testid="purge-topic"
            >
              Purge
            </button>
            {topic.data.internal ? null : (
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => openDialog('delete')}
                data-testid="delete-topic"
              >
                Delete
              </button>
            )}
          </div>
        ) : null}
      </PageHeader>
    </>
  );

  if (topic.isPending)
    return (
      <>
        {header}
        <Loading what="topic" />
      </>
    );
  if (topic.isError)
    return (
      <>
        {header}
        <QueryError error={topic.error} />
      </>
    );
  const t = topic.data;

  const saveConfig = async (
    config: string,
    body: { set?: Record<string, string>; delete?: string[] },
    done: string,
  ) => {
    setPendingConfig(config);
    try {
      await alter.mutateAsync(body);
      setOutcome({ kind: 'success', text: done });
    } catch (err) {
      setOutcome({ kind: 'error', text: `Could not change ${config}: ${errorMessage(err)}` });
      throw err;
    } finally {
      setPendingConfig(null);
    }
  };

  return (
    <>
      {header}
      {outcome ? (
        <Notice kind={outcome.kind} onClose={() => setOutcome(null)}>
          {outcome.text}
        </Notice>
      ) : null}
      <TopicStats topic={t} />
      <PartitionsTable topic={t} />
      <Section title={`Consumer groups (${t.groups.length})`} testId="topic-groups">
        {t.groups.length === 0 ? (
          <EmptyState title="No consumer group has committed offsets for this topic" />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Group</th>
                <th>State</th>
                <th className="num">Lag</th>
              </tr>
            </thead>
            <tbody>
              {t.groups.map((g) => (
                <tr key={g.groupId} data-group={g.groupId}>
                  <td>
                    <Link href={`/groups/${encodeURIComponent(g.groupId)}`}>{g.groupId}</Link>
                  </td>
                  <td>
                    <StateBadge state={g.state} />
                  </td>
                  <td className="num" data-col="lag">
                    {formatCount(g.lag)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Configs" testId="topic-configs">
        <ConfigTable
          configs={t.configs}
          editing={{
            pendingName: pendingConfig,
            onSave: (config, value) =>
              saveConfig(config, { set: { [config]: value } }, `Set ${config} = ${value}.`),
            onReset: (config) => saveConfig(config, { delete: [config] }, `Reset ${config} to its default.`),
          }}
        />
      </Section>
      <AddPartitionsDialog
        open={dialog === 'partitions'}
        topic={t}
        onClose={() => setDialog(null)}
        onDone={(text) => {
          setDialog(null);
          setOutcome({ kind: 'success', text });
        }}
      />
      <PurgeDialog
        open={dialog === 'purge'}
        topic={t}
        onClose={() => setDialog(null)}
        onDone={(text) => {
          setDialog(null);
          setOutcome({ kind: 'success', text });
        }}
      />
      <ConfirmDialog
        open={dialog === 'delete'}
        title={`Delete topic ${name}`}
        confirmLabel="Delete topic"
        typeToConfirm={name}
        pending={del.isPending}
        error={del.isError ? errorMessage(del.error) : null}
        testId="delete-topic-dialog"
        onClose={() => {
          setDialog(null);
          del.reset();
        }}
        onConfirm={() =>
          del.mutate(name, {
            onSuccess: () => router.push(`/topics?deleted=${encodeURIComponent(name)}`),
          })
        }
      >
        <p>
          This deletes <strong>{name}</strong> with its {t.partitions.length} partitions and all of their
          messages. Consumers reading it will get errors. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}

function TopicStats({ topic }: { topic: TopicDetail }) {
  const rf = topic.partitions.reduce((m, p) => Math.max(m, p.replicas.length), 0);
  const urp = topic.partitions.filter((p) => p.underReplicated).length;
  const offline = topic.partitions.filter((p) => p.leader === null || p.leader < 0).length;
  let messages = 0n;
  for (const p of topic.partitions)
    messages += (toBigInt(p.latestOffset) ?? 0n) - (toBigInt(p.earliestOffset) ?? 0n);
  return (
    <div className="stats">
      <Stat label="Partitions" value={topic.partitions.length} testId="stat-partitions" />
      <Stat label="Replication factor" value={rf} />
      <Stat label="Under-replicated" value={urp} tone={urp > 0 ? 'warn' : 'ok'} testId="stat-urp" />
      <Stat label="Offline" value={offline} tone={offline > 0 ? 'warn' : undefined} />
      <Stat label="Messages" value={formatCount(messages)} testId="stat-messages" />
      <Stat label="Consumer groups" value={topic.groups.length} />
    </div>
  );
}

function NodeList({ ids, highlight }: { ids: number[]; highlight?: (id: number) => string | undefined }) {
  if (ids.length === 0) return <span className="muted">—</span>;
  return (
    <span className="node-list">
      {ids.map((id) => (
        <span key={id} className={`node ${highlight?.(id) ?? ''}`}>
          {id}
        </span>
      ))}
    </span>
  );
}

function PartitionsTable({ topic }: { topic: TopicDetail }) {
  return (
    <Section title="Partitions" testId="partitions">
      <div className="table-scroll">
        <table className="table" data-testid="partitions-table">
          <thead>
            <tr>
              <th className="num">Partition</th>
              <th className="num">Leader</th>
              <th className="num">Preferred</th>
              <th>Replicas</th>
              <th>In-sync replicas</th>
              <th>Status</th>
              <th className="num">Earliest offset</th>
              <th className="num">Latest offset</th>
              <th className="num">Messages</th>
            </tr>
          </thead>
          <tbody>
            {[...topic.partitions]
              .sort((a, b) => a.partition - b.partition)
              .map((p) => {
                const offline = p.leader === null || p.leader < 0;
                const notPreferred = !offline && p.preferredLeader !== null && p.leader !== p.preferredLeader;
                const count = (toBigInt(p.latestOffset) ?? 0n) - (toBigInt(p.earliestOffset) ?? 0n);
                return (
                  <tr key={p.partition} data-partition={p.partition}>
                    <td className="num mono">{p.partition}</td>
                    <td className="num mono">{offline ? <Badge tone="bad">none</Badge> : p.leader}</td>
                    <td className="num mono">{p.preferredLeader ?? '—'}</td>
                    <td>
                      <NodeList
                        ids={p.replicas}
                        highlight={(id) =>
                          p.offlineReplicas.includes(id)
                            ? 'node-offline'
                            : p.isr.includes(id)
                              ? undefined
                              : 'node-lagging'
                        }
                      />
                    </td>
                    <td>
                      <NodeList ids={p.isr} />
                    </td>
                    <td data-testid="partition-status">
                      {offline ? (
                        <Badge tone="bad">offline</Badge>
                      ) : p.underReplicated ? (
                        <Badge tone="warn">under-replicated</Badge>
                      ) : (
                        <Badge tone="ok">in sync</Badge>
                      )}
                      {notPreferred ? <Badge tone="neutral">not preferred leader</Badge> : null}
                    </td>
                    <td className="num mono" data-col="earliest">
                      {formatCount(p.earliestOffset)}
                    </td>
                    <td className="num mono" data-col="latest">
                      {formatCount(p.latestOffset)}
                    </td>
                    <td className="num mono">{formatCount(count)}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
