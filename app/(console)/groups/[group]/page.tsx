import type { Metadata } from 'next';
import { Prefetch } from '../../../_queries/prefetch';
import { groupQuery } from '../../../_queries/groups';
import { GROUP_REFRESH_MS, GroupView } from './group-view';

export const dynamic = 'force-dynamic';

// Next hands dynamic segments over already URL-decoded.
type Params = { params: Promise<{ group: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Group ${(await params).group}` };
}

export default async function GroupPage({ params }: Params) {
  const id = (await params).group;
  return (
    <Prefetch queries={[groupQuery(id, GROUP_REFRESH_MS)]}>
      <GroupView id={id} />
    </Prefetch>
  );
}
