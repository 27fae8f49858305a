import type { Metadata } from 'next';
import { Prefetch } from '../../_queries/prefetch';
import { groupsQuery } from '../../_queries/groups';
import { GROUPS_REFRESH_MS, GroupsView } from './groups-view';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Consumer groups' };

export default function GroupsPage() {
  return (
    <Prefetch queries={[groupsQuery(GROUPS_REFRESH_MS)]}>
      <GroupsView />
    </Prefetch>
  );
}
