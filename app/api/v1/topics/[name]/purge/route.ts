import { route } from '@/app/_server/http';
import { TopicParams } from '@/app/_server/schemas/common';
import { PurgeBody } from '@/app/_server/schemas/topics';
import { purgeTopic } from '@/app/_server/services/topic-admin';

export const dynamic = 'force-dynamic';

export const POST = route({ params: TopicParams, body: PurgeBody }, ({ params, body }) =>
  purgeTopic(params.name, body.partitions),
);
