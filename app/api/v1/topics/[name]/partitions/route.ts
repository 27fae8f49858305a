import { route } from '@/app/_server/http';
import { TopicParams } from '@/app/_server/schemas/common';
import { AddPartitionsBody } from '@/app/_server/schemas/topics';
import { addPartitions } from '@/app/_server/services/topic-admin';

export const dynamic = 'force-dynamic';

export const POST = route({ params: TopicParams, body: AddPartitionsBody }, ({ params, body }) =>
  addPartitions(params.name, body.count),
);
