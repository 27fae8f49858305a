import type { Metadata } from 'next';
import { PageHeader } from '../../_components/ui';
import { Prefetch } from '../../_queries/prefetch';
import { brokersQuery } from '../../_queries/brokers';
import { clusterQuery } from '../../_queries/cluster';
import { BROKERS_REFRESH_MS, BrokersView } from './brokers-view';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Brokers' };

export default function BrokersPage() {
  return (
    <>
      <PageHeader title="Brokers" />
      <Prefetch queries={[brokersQuery(BROKERS_REFRESH_MS), clusterQuery()]}>
        <BrokersView />
      </Prefetch>
    </>
  );
}
