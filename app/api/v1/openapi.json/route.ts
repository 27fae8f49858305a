import { route } from '@/app/_server/http';
import { openApiDocument } from '@/app/_server/openapi';

export const dynamic = 'force-dynamic';

export const GET = route({}, async () => openApiDocument());
