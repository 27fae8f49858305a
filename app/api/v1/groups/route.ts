import { route } from '@/app/_server/http';
import { listGroups } from '@/app/_server/services/groups';

export const dynamic = 'force-dynamic';

export const GET = route({}, () => listGroups());
