import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, enc } from './api';
import type { ConfigEntry } from './topics';

export interface Broker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
  isController: boolean;
  partitions: number;
  leaders: number;
  logSizeBytes: number | string | null;
}

export const brokersQuery = (refetchInterval?: number) =>
  queryOptions({
    queryKey: ['brokers'],
    queryFn: ({ signal }) => api<{ brokers: Broker[] }>('/api/v1/brokers', { signal }),
    refetchInterval,
  });

export const brokerConfigsQuery = (nodeId: number) =>
  queryOptions({
    queryKey: ['brokers', nodeId, 'configs'],
    queryFn: ({ signal }) =>
      api<{ configs: ConfigEntry[] }>(`/api/v1/brokers/${enc(nodeId)}/configs`, { signal }),
  });

export function useBrokers(refetchInterval?: number) {
  return useQuery(brokersQuery(refetchInterval));
}

export function useBrokerConfigs(nodeId: number) {
  return useQuery(brokerConfigsQuery(nodeId));
}
