import { clusterAddress } from '../_server/cluster';
import { PageHeader } from '../_components/ui';
import { Prefetch } from '../_queries/prefetch';
import { clusterQuery } from '../_queries/cluster';
import { brokersQuery } from '../_queries/brokers';
import { groupsQuery } from '../_queries/groups';
import { topicsQuery } from '../_queries/topics';
import { OVERVIEW_REFRESH_MS, TOP_TOPICS, URP_TOPICS } from './overview-queries';
import { OverviewView } from './overview-view';

// Rendered per request: the page is a live view of the cluster, and at build time there is none.
export const dynamic = 'force-dynamic';

export default function OverviewPage() {
  const address = clusterAddress();
  return (
    <>
      <PageHeader title="Overview">
        <span className="muted">
          Bootstrap: <code>{address}</code>
        </span>
      </PageHeader>
      <Prefetch
        queries={[
          clusterQuery(OVERVIEW_REFRESH_MS),
          brokersQuery(OVERVIEW_REFRESH_MS),
          topicsQuery(TOP_TOPICS, OVERVIEW_REFRESH_MS),
          topicsQuery(URP_TOPICS, OVERVIEW_REFRESH_MS),
          groupsQuery(OVERVIEW_REFRESH_MS),
        ]}
      >
        <OverviewView address={address} />
      </Prefetch>
    </>
  );
}
