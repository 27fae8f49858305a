'use client';

import Link from 'next/link';
import { useBrokers } from '../_queries/brokers';
import { useCluster } from '../_queries/cluster';
import { isConsoleGroup } from '../_queries/console-groups';
import { useGroups, type GroupRow } from '../_queries/groups';
import { useTopics } from '../_queries/topics';
import { compareInt64, formatBytes, formatCount } from '../_components/format';
import { Badge, EmptyState, Loading, QueryError, Section, StateBadge, Stat } from '../_components/ui';
import { OVERVIEW_REFRESH_MS, TOP_TOPICS, URP_TOPICS } from './overview-queries';

/** The user's groups: the console's own throwaway browse groups are not part of the picture. */
function userGroups(groups: GroupRow[] | undefined): GroupRow[] | undefined {
  return groups?.filter((g) => !isConsoleGroup(g.groupId));
}

const GROUP_STATES = ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'];

export function OverviewView({ address }: { address: string }) {
  const cluster = useCluster(OVERVIEW_REFRESH_MS);
  const urp = useTopics(URP_TOPICS, OVERVIEW_REFRESH_MS);
  const groups = useGroups(OVERVIEW_REFRESH_MS);
  const groupList = userGroups(groups.data?.groups);

  if (cluster.isPending) return <Loading what="cluster" />;
  if (cluster.isError) {
    return (
      <QueryError error={cluster.error} title="Cannot reach the Kafka cluster">
        <p className="muted">
          The console tried <code>{address}</code>. Start the embedded cluster with <code>npm start</code>, or
          set <code>KAFKA_BROKERS</code> to the bootstrap servers of an existing cluster.
        </p>
      </QueryError>
    );
  }
  const data = cluster.data;
  const partitions = data.topics.reduce((sum, t) => sum + t.partitions, 0);
  const urpTopics = urp.data?.items.filter((t) => t.underReplicated > 0) ?? [];
  const urpCount = urpTopics.reduce((sum, t) => sum + t.underReplicated, 0);
  const urpCapped =
    urp.data !== undefined &&
    urp.data.total > urp.data.items.length &&
    urpTopics.length === urp.data.items.length;

  return (
    <div data-testid="overview">
      <div className="stats">
        <Stat label="Cluster ID" value={data.clusterId} mono />
        <Stat label="Controller" value={data.controllerId === null ? 'none' : `node ${data.controllerId}`} />
        <Stat label="Brokers" value={data.brokers.length} />
        <Stat label="Topics" value={formatCount(data.topics.length)} />
        <Stat label="Partitions" value={formatCount(partitions)} />
        <Stat
          label="Under-replicated"
          testId="stat-under-replicated"
          tone={urp.data ? (urpCount > 0 ? 'warn' : 'ok') : undefined}
          value={urp.data ? `${urpCapped ? '≥ ' : ''}${formatCount(urpCount)}` : '—'}
        />
        <Stat
          label="Consumer groups"
          testId="stat-groups"
          value={groupList ? formatCount(groupList.length) : '—'}
        />
      </div>
      <BrokersCard controllerId={data.controllerId} brokers={data.brokers} />
      <div className="grid-2">
        <TopTopics />
        <TopGroups />
      </div>
      <div className="grid-2">
        <GroupsByState groups={groupList} error={groups.error} />
        <Section title="Under-replicated topics" testId="urp-topics">
          {urp.isError ? (
            <QueryError error={urp.error} />
          ) : !urp.data ? (
            <Loading what="topics" />
          ) : urpTopics.length === 0 ? (
            <p className="muted ok-text">Every partition has its full ISR.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Topic</th>
                  <th className="num">Under-replicated</th>
                  <th className="num">Partitions</th>
                </tr>
              </thead>
              <tbody>
                {urpTopics.slice(0, 10).map((t) => (
                  <tr key={t.name}>
                    <td>
                      <Link href={`/topics/${encodeURIComponent(t.name)}`}>{t.name}</Link>
                    </td>
                    <td className="num warn-text">{t.underReplicated}</td>
                    <td className="num">{t.partitions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      </div>
    </div>
  );
}

function BrokersCard({
  controllerId,
  brokers,
}: {
  controllerId: number | null;
  brokers: { nodeId: number; host: string; port: number }[];
}) {
  // Leaders, partitions and log size come from /brokers; the cluster view alone still lists every node.
  const details = useBrokers(OVERVIEW_REFRESH_MS);
  const byId = new Map((details.data?.brokers ?? []).map((b) => [b.nodeId, b]));
  return (
    <Section title="Brokers" actions={<Link href="/brokers">All broker details →</Link>}>
      <table className="table">
        <thead>
          <tr>
            <th>Node ID</th>
            <th>Address</th>
            <th>Role</th>
            <th className="num">Partitions</th>
            <th className="num">Leaders</th>
            <th className="num">Log size</th>
          </tr>
        </thead>
        <tbody>
          {brokers.map((b) => {
            const d = byId.get(b.nodeId);
            return (
              <tr key={b.nodeId} data-node-id={b.nodeId}>
                <td className="mono">{b.nodeId}</td>
                <td>
                  <code>
                    {b.host}:{b.port}
                  </code>
                </td>
                <td>{b.nodeId === controllerId ? <Badge>controller</Badge> : null}</td>
                <td className="num">{d ? formatCount(d.partitions) : '—'}</td>
                <td className="num">{d ? formatCount(d.leaders) : '—'}</td>
                <td className="num">{d ? formatBytes(d.logSizeBytes) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Section>
  );
}

function TopTopics() {
  const topics = useTopics(TOP_TOPICS, OVERVIEW_REFRESH_MS);
  return (
    <Section
      title="Top topics by messages"
      testId="top-topics"
      actions={<Link href="/topics">All topics →</Link>}
    >
      {topics.isError ? (
        <QueryError error={topics.error} />
      ) : !topics.data ? (
        <Loading what="topics" />
      ) : topics.data.items.length === 0 ? (
        <EmptyState title="No topics yet">
          <Link href="/topics?create=1">Create a topic</Link> to get started.
        </EmptyState>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Partitions</th>
              <th className="num">Messages</th>
            </tr>
          </thead>
          <tbody>
            {topics.data.items.map((t) => (
              <tr key={t.name} data-topic={t.name}>
                <td>
                  <Link href={`/topics/${encodeURIComponent(t.name)}`}>{t.name}</Link>
                </td>
                <td className="num" data-col="partitions">
                  {t.partitions}
                </td>
                <td className="num" data-col="messages">
                  {formatCount(t.messages)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function TopGroups() {
  const groups = useGroups(OVERVIEW_REFRESH_MS);
  const top = [...(userGroups(groups.data?.groups) ?? [])]
    .sort((a, b) => compareInt64(b.lag, a.lag))
    .slice(0, 8);
  return (
    <Section title="Top groups by lag" testId="top-groups" actions={<Link href="/groups">All groups →</Link>}>
      {groups.isError ? (
        <QueryError error={groups.error} />
      ) : !groups.data ? (
        <Loading what="consumer groups" />
      ) : top.length === 0 ? (
        <EmptyState title="No consumer groups">
          Groups appear here once a consumer joins or commits offsets.
        </EmptyState>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Group</th>
              <th>State</th>
              <th className="num">Members</th>
              <th className="num">Lag</th>
            </tr>
          </thead>
          <tbody>
            {top.map((g) => (
              <tr key={g.groupId} data-group={g.groupId}>
                <td>
                  <Link href={`/groups/${encodeURIComponent(g.groupId)}`}>{g.groupId}</Link>
                </td>
                <td>
                  <StateBadge state={g.state} />
                </td>
                <td className="num">{g.members}</td>
                <td className="num" data-col="lag">
                  {formatCount(g.lag)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function GroupsByState({ groups, error }: { groups: GroupRow[] | undefined; error: unknown }) {
  const counts = new Map<string, number>();
  for (const g of groups ?? []) counts.set(g.state, (counts.get(g.state) ?? 0) + 1);
  const states = [...GROUP_STATES, ...[...counts.keys()].filter((s) => !GROUP_STATES.includes(s))];
  return (
    <Section title="Consumer groups by state" testId="groups-by-state">
      {error ? (
        <QueryError error={error} />
      ) : !groups ? (
        <Loading what="consumer groups" />
      ) : (
        <ul className="state-list">
          {states.map((s) => (
            <li key={s} data-state={s}>
              <StateBadge state={s} />
              <span className="state-count">{counts.get(s) ?? 0}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
