'use client';

import { useBrokerConfigs } from '../../../_queries/brokers';
import { ConfigTable } from '../../../_components/config-table';
import { Loading, QueryError, Section } from '../../../_components/ui';

export function BrokerConfigsView({ nodeId }: { nodeId: number }) {
  const configs = useBrokerConfigs(nodeId);
  return (
    <Section title="Configs" testId="broker-configs">
      {configs.isPending ? (
        <Loading what="broker configs" />
      ) : configs.isError ? (
        <QueryError error={configs.error} />
      ) : (
        <ConfigTable configs={configs.data.configs} />
      )}
    </Section>
  );
}
