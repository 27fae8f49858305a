import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, enc, withQuery } from './api';

export type Int64 = string | number;

export interface ConfigEntry {
  name: string;
  value: string | null;
  source: string;
  isDefault: boolean;
  isSensitive: boolean;
  readOnly: boolean;
}

export interface TopicRow {
  name: string;
  topicId: string | null;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  underReplicated: number;
  messages: Int64 | null;
}

export type TopicSort = 'name' | 'partitions' | 'replicationFactor' | 'underReplicated' | 'messages';
export type SortOrder = 'asc' | 'desc';

export interface TopicListParams {
  search?: string;
  page?: number;
  pageSize?: number;
  sort?: TopicSort;
  order?: SortOrder;
  internal?: boolean;
}

export interface TopicPage {
  items: TopicRow[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PartitionInfo {
  partition: number;
  leader: number | null;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  preferredLeader: number | null;
  underReplicated: boolean;
  earliestOffset: Int64;
  latestOffset: Int64;
}

export interface TopicDetail {
  name: string;
  topicId: string | null;
  internal: boolean;
  partitions: PartitionInfo[];
  configs: ConfigEntry[];
  groups: { groupId: string; state: string; lag: Int64 | null }[];
}

export interface CreateTopicInput {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  configs?: Record<string, string>;
  validateOnly?: boolean;
}

const topicPath = (name: string) => `/api/v1/topics/${enc(name)}`;

/** The defaults the API applies, spelled out so server prefetch and client hook share one cache key. */
export function normalizeTopicParams(p: TopicListParams): Required<TopicListParams> {
  return {
    search: p.search ?? '',
    page: p.page && p.page > 0 ? p.page : 1,
    pageSize: p.pageSize && p.pageSize > 0 ? p.pageSize : 25,
    sort: p.sort ?? 'name',
    order: p.order ?? 'asc',
    internal: p.internal ?? false,
  };
}

export const topicsQuery = (params: TopicListParams, refetchInterval?: number) => {
  const p = normalizeTopicParams(params);
  return queryOptions({
    queryKey: ['topics', 'list', p],
    queryFn: ({ signal }) => api<TopicPage>(withQuery('/api/v1/topics', { ...p }), { signal }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
};

export const topicQuery = (name: string) =>
  queryOptions({
    queryKey: ['topics', 'detail', name],
    queryFn: ({ signal }) => api<TopicDetail>(topicPath(name), { signal }),
  });

export function useTopics(params: TopicListParams, refetchInterval?: number) {
  return useQuery(topicsQuery(params, refetchInterval));
}

export function useTopic(name: string) {
  return useQuery(topicQuery(name));
}

function useInvalidateTopics() {
  const client = useQueryClient();
  return (name?: string) =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['topics', 'list'] }),
      name ? client.invalidateQueries({ queryKey: ['topics', 'detail', name] }) : undefined,
      name ? client.invalidateQueries({ queryKey: ['messages', name] }) : undefined,
      client.invalidateQueries({ queryKey: ['cluster'] }),
    ]);
}

export function useCreateTopic() {
  const invalidate = useInvalidateTopics();
  return useMutation({
    mutationFn: (input: CreateTopicInput) =>
      api<{ name: string }>('/api/v1/topics', { method: 'POST', body: input }),
    onSuccess: (_data, input) => (input.validateOnly ? undefined : invalidate()),
  });
}

export function useDeleteTopic() {
  const client = useQueryClient();
  const invalidate = useInvalidateTopics();
  return useMutation({
    mutationFn: (name: string) => api<unknown>(topicPath(name), { method: 'DELETE' }),
    onSuccess: (_data, name) => {
      client.removeQueries({ queryKey: ['topics', 'detail', name] });
      return invalidate();
    },
  });
}

export function useAlterTopicConfigs(name: string) {
  const invalidate = useInvalidateTopics();
  return useMutation({
    mutationFn: (body: { set?: Record<string, string>; delete?: string[] }) =>
      api<{ configs: ConfigEntry[] }>(`${topicPath(name)}/configs`, { method: 'PATCH', body }),
    onSuccess: () => invalidate(name),
  });
}

export function useAddPartitions(name: string) {
  const invalidate = useInvalidateTopics();
  return useMutation({
    mutationFn: (count: number) =>
      api<unknown>(`${topicPath(name)}/partitions`, { method: 'POST', body: { count } }),
    onSuccess: () => invalidate(name),
  });
}

export function usePurgeTopic(name: string) {
  const invalidate = useInvalidateTopics();
  return useMutation({
    mutationFn: (partitions?: number[]) =>
      api<{ partitions: { partition: number; lowWatermark: Int64 }[] }>(`${topicPath(name)}/purge`, {
        method: 'POST',
        body: partitions ? { partitions } : {},
      }),
    onSuccess: () => invalidate(name),
  });
}
