import { route } from '@/app/_server/http';
import { BrokerParams } from '@/app/_server/schemas/common';
import { brokerConfigs } from '@/app/_server/services/brokers';

export const dynamic = 'force-dynamic';

export const GET = route({ params: BrokerParams }, async ({ params }) => ({
  configs: await brokerConfigs(params.id),
}));
