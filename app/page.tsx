import { ErrorBox } from './_components/error-box';
import { clusterAddress, getClusterOverview, type ClusterOverview } from './_server/cluster';
import { toServiceError, type ServiceError } from './_server/errors';

// Rendered per request: the page is a live view of the cluster, and at build time there is none.
export const dynamic = 'force-dynamic';

async function load(): Promise<{ ok: true; data: ClusterOverview } | { ok: false; error: ServiceError }> {
  try {
    return { ok: true, data: await getClusterOverview() };
  } catch (err) {
    return { ok: false, error: toServiceError(err) };
  }
}

export default async function OverviewPage() {
  const result = await load();
  const address = clusterAddress();
  return (
    <>
      <header className="page-header">
        <h1>Overview</h1>
        <span className="muted">
          Bootstrap: <code>{address}</code>
        </span>
      </header>
      {result.ok ? (
        <Overview data={result.data} />
      ) : (
        <ErrorBox title="Cannot reach the Kafka cluster" code={result.error.code}>
          <p>{result.error.message}</p>
          <p className="muted">
            The console tried <code>{address}</code>. Start the embedded cluster with <code>npm start</code>,
            or set <code>KAFKA_BROKERS</code> to the bootstrap servers of an existing cluster.
          </p>
        </ErrorBox>
      )}
    </>
  );
}

function Overview({ data }: { data: ClusterOverview }) {
  const partitions = data.topics.reduce((sum, t) => sum + t.partitions, 0);
  return (
    <>
      <div className="stats">
        <Stat label="Cluster ID" value={data.clusterId} mono />
        <Stat label="Controller" value={data.controllerId === null ? 'none' : `node ${data.controllerId}`} />
        <Stat label="Brokers" value={data.brokers.length} />
        <Stat label="Topics" value={data.topics.length} />
        <Stat label="Partitions" value={partitions} />
      </div>
      <section className="card">
        <h2>Brokers</h2>
        <table>
          <thead>
            <tr>
              <th>Node ID</th>
              <th>Address</th>
              <th>Role</th>
            </tr>
          </thead>
          <tbody>
            {data.brokers.map((b) => (
              <tr key={b.nodeId} data-node-id={b.nodeId}>
                <td className="mono">{b.nodeId}</td>
                <td>
                  <code>
                    {b.host}:{b.port}
                  </code>
                </td>
                <td>{b.nodeId === data.controllerId ? <span className="badge">controller</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>Topics</h2>
        {data.topics.length === 0 ? (
          <p className="muted">No topics yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th className="num">Partitions</th>
              </tr>
            </thead>
            <tbody>
              {data.topics.map((t) => (
                <tr key={t.name} data-topic={t.name}>
                  <td>{t.name}</td>
                  <td className="num">{t.partitions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function Stat({ label, value, mono }: { label: string; value: string | number; mono?: boolean }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className={mono ? 'stat-value mono' : 'stat-value'}>{value}</div>
    </div>
  );
}
