import { json, route } from '@/app/_server/http';
import { CreateTopicBody, TopicListQuery } from '@/app/_server/schemas/topics';
import { createTopic, listTopics } from '@/app/_server/services/topics';

export const dynamic = 'force-dynamic';

export const GET = route({ query: TopicListQuery }, ({ query }) => listTopics(query));

export const POST = route({ body: CreateTopicBody }, async ({ body }) => json(await createTopic(body), 201));
