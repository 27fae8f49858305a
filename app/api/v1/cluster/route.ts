import { getClusterOverview } from '@/app/_server/cluster';
import { route } from '@/app/_server/http';

// Cluster state changes under us (nodes killed, topics created); never serve a cached answer.
export const dynamic = 'force-dynamic';

export const GET = route({}, () => getClusterOverview());
