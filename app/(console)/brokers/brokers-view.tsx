'use client';

import Link from 'next/link';
import { useBrokers } from '../../_queries/brokers';
import { useCluster } from '../../_queries/cluster';
import { formatBytes, formatCount } from '../../_components/format';
import { Badge, EmptyState, Loading, QueryError, Section, Stat } from '../../_components/ui';

export const BROKERS_REFRESH_MS = 10_000;

export function BrokersView() {
  const brokers = useBrokers(BROKERS_REFRESH_MS);
  const cluster = useCluster();
  if (brokers.isPending) return <Loading what="brokers" />;
  if (brokers.isError) return <QueryError error={brokers.error} />;
  const list = [...brokers.data.brokers].sort((a, b) => a.nodeId - b.nodeId);
  const totalLeaders = list.reduce((s, b) => s + b.leaders, 0);
  const totalSize = list.reduce((s, b) => s + (b.logSizeBytes === null ? 0 : Number(b.logSizeBytes)), 0);
  const controller = list.find((b) => b.isController);
  return (
    <>
      <div className="stats">
        <Stat label="Brokers" value={list.length} />
        <Stat label="Controller" value={controller ? `node ${controller.nodeId}` : 'none'} />
        <Stat label="Partition leaders" value={formatCount(totalLeaders)} />
        <Stat
          label="Log size"
          value={list.some((b) => b.logSizeBytes !== null) ? formatBytes(totalSize) : '—'}
        />
        {cluster.data ? <Stat label="Cluster ID" value={cluster.data.clusterId} mono /> : null}
      </div>
      <Section title="Brokers" testId="brokers">
        {list.length === 0 ? (
          <EmptyState title="No brokers">The cluster reported no live brokers.</EmptyState>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Node ID</th>
                <th>Address</th>
                <th>Rack</th>
                <th>Role</th>
                <th className="num">Partitions</th>
                <th className="num">Leaders</th>
                <th className="num">Leader share</th>
                <th className="num">Log size</th>
                <th className="actions-col">Configs</th>
              </tr>
            </thead>
            <tbody>
              {list.map((b) => (
                <tr key={b.nodeId} data-node-id={b.nodeId}>
                  <td className="mono">{b.nodeId}</td>
                  <td>
                    <code>
                      {b.host}:{b.port}
                    </code>
                  </td>
                  <td>{b.rack ?? <span className="muted">—</span>}</td>
                  <td>
                    {b.isController ? <Badge>controller</Badge> : <span className="muted">broker</span>}
                  </td>
                  <td className="num">{formatCount(b.partitions)}</td>
                  <td className="num">{formatCount(b.leaders)}</td>
                  <td className="num">
                    {totalLeaders ? `${Math.round((b.leaders / totalLeaders) * 100)}%` : '—'}
                  </td>
                  <td className="num">{formatBytes(b.logSizeBytes)}</td>
                  <td className="actions-col">
                    <Link
                      href={`/brokers/${b.nodeId}`}
                      className="btn btn-sm"
                      data-testid={`broker-configs-${b.nodeId}`}
                    >
                      View configs
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}
