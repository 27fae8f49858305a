import { route } from '@/app/_server/http';
import { GroupParams } from '@/app/_server/schemas/common';
import { ResetOffsetsBody } from '@/app/_server/schemas/groups';
import { resetOffsets } from '@/app/_server/services/group-offsets';

export const dynamic = 'force-dynamic';

export const POST = route({ params: GroupParams, body: ResetOffsetsBody }, ({ params, body }) =>
  resetOffsets(params.id, body),
);
