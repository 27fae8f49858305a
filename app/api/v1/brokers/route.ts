import { route } from '@/app/_server/http';
import { listBrokers } from '@/app/_server/services/brokers';

export const dynamic = 'force-dynamic';

export const GET = route({}, () => listBrokers());
