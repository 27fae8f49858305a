import { route } from '@/app/_server/http';
import { notFound } from '@/app/_server/errors';

export const dynamic = 'force-dynamic';

// Unknown API paths answer in the API's error format rather than with the console's HTML 404 page.
const unknownRoute = route({}, async ({ request }) => {
  throw notFound('NOT_FOUND', `No API route ${request.method} ${new URL(request.url).pathname}`);
});

export const GET = unknownRoute;
export const POST = unknownRoute;
export const PUT = unknownRoute;
export const PATCH = unknownRoute;
export const DELETE = unknownRoute;
