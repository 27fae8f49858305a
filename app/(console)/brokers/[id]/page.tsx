import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageHeader } from '../../../_components/ui';
import { Prefetch } from '../../../_queries/prefetch';
import { brokerConfigsQuery } from '../../../_queries/brokers';
import { BrokerConfigsView } from './broker-configs-view';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  return { title: `Broker ${id}` };
}

export default async function BrokerPage({ params }: Params) {
  const { id } = await params;
  if (!/^\d+$/.test(id)) notFound();
  const nodeId = Number(id);
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/brokers">Brokers</Link> / <span>node {nodeId}</span>
      </nav>
      <PageHeader title={`Broker ${nodeId}`} />
      <Prefetch queries={[brokerConfigsQuery(nodeId)]}>
        <BrokerConfigsView nodeId={nodeId} />
      </Prefetch>
    </>
  );
}
