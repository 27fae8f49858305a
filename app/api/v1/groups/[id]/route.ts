import { noContent, route } from '@/app/_server/http';
import { GroupParams } from '@/app/_server/schemas/common';
import { deleteGroup, getGroup } from '@/app/_server/services/groups';

export const dynamic = 'force-dynamic';

export const GET = route({ params: GroupParams }, ({ params }) => getGroup(params.id));

export const DELETE = route({ params: GroupParams }, async ({ params }) => {
  await deleteGroup(params.id);
  return noContent();
});
