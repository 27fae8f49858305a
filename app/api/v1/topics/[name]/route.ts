import { noContent, route } from '@/app/_server/http';
import { TopicParams } from '@/app/_server/schemas/common';
import { deleteTopic, getTopic } from '@/app/_server/services/topics';

export const dynamic = 'force-dynamic';

export const GET = route({ params: TopicParams }, ({ params }) => getTopic(params.name));

export const DELETE = route({ params: TopicParams }, async ({ params }) => {
  await deleteTopic(params.name);
  return noContent();
});
