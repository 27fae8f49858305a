import { route } from '@/app/_server/http';
import { TopicParams } from '@/app/_server/schemas/common';
import { MessagesQuery, ProduceBody } from '@/app/_server/schemas/messages';
import { browseMessages, produceMessages } from '@/app/_server/services/messages';

export const dynamic = 'force-dynamic';

export const GET = route({ params: TopicParams, query: MessagesQuery }, ({ params, query }) =>
  browseMessages(params.name, query),
);

export const POST = route({ params: TopicParams, body: ProduceBody }, ({ params, body }) =>
  produceMessages(params.name, body),
);
