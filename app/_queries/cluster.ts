import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './api';

export interface ClusterOverview {
  clusterId: string;
  controllerId: number | null;
  brokers: { nodeId: number; host: string; port: number }[];
  topics: { name: string; partitions: number }[];
}

export const clusterQuery = (refetchInterval?: number) =>
  queryOptions({
    queryKey: ['cluster'],
    queryFn: ({ signal }) => api<ClusterOverview>('/api/v1/cluster', { signal }),
    refetchInterval,
  });

export function useCluster(refetchInterval?: number) {
  return useQuery(clusterQuery(refetchInterval));
}
