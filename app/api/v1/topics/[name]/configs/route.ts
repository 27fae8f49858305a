import { route } from '@/app/_server/http';
import { TopicParams } from '@/app/_server/schemas/common';
import { PatchConfigsBody } from '@/app/_server/schemas/topics';
import { alterTopicConfigs, getTopicConfigs } from '@/app/_server/services/topic-admin';

export const dynamic = 'force-dynamic';

export const GET = route({ params: TopicParams }, async ({ params }) => ({
  configs: await getTopicConfigs(params.name),
}));

export const PATCH = route({ params: TopicParams, body: PatchConfigsBody }, async ({ params, body }) => ({
  configs: await alterTopicConfigs(params.name, body),
}));
