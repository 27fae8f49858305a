import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, enc } from './api';
import type { Int64 } from './topics';

export interface GroupRow {
  groupId: string;
  state: string;
  protocolType: string;
  members: number;
  topics: string[];
  lag: Int64 | null;
}

export interface GroupDetail {
  groupId: string;
  state: string;
  protocol: string;
  protocolType: string;
  members: {
    memberId: string;
    clientId: string;
    host: string;
    assignments: { topic: string; partitions: number[] }[];
  }[];
  offsets: {
    topic: string;
    partition: number;
    committed: Int64 | null;
    logEnd: Int64 | null;
    lag: Int64 | null;
  }[];
}

export type ResetTo = 'earliest' | 'latest' | 'timestamp' | 'offset' | 'shift';

export interface ResetInput {
  topic: string;
  to: ResetTo;
  value?: string;
  dryRun?: boolean;
}

export interface ResetResult {
  offsets: { partition: number; previous: Int64 | null; next: Int64 }[];
}

const groupPath = (id: string) => `/api/v1/groups/${enc(id)}`;

export const groupsQuery = (refetchInterval?: number) =>
  queryOptions({
    queryKey: ['groups', 'list'],
    queryFn: ({ signal }) => api<{ groups: GroupRow[] }>('/api/v1/groups', { signal }),
    refetchInterval,
  });

export const groupQuery = (id: string, refetchInterval?: number) =>
  queryOptions({
    queryKey: ['groups', 'detail', id],
    queryFn: ({ signal }) => api<GroupDetail>(groupPath(id), { signal }),
    refetchInterval,
  });

export function useGroups(refetchInterval?: number) {
  return useQuery(groupsQuery(refetchInterval));
}

export function useGroup(id: string, refetchInterval?: number) {
  return useQuery(groupQuery(id, refetchInterval));
}

export function useResetOffsets(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ResetInput) =>
      api<ResetResult>(`${groupPath(id)}/reset-offsets`, { method: 'POST', body: input }),
    onSuccess: (_data, input) =>
      input.dryRun
        ? undefined
        : Promise.all([
            client.invalidateQueries({ queryKey: ['groups'] }),
            client.invalidateQueries({ queryKey: ['topics', 'detail', input.topic] }),
          ]),
  });
}

export function useDeleteGroup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<unknown>(groupPath(id), { method: 'DELETE' }),
    onSuccess: (_data, id) => {
      client.removeQueries({ queryKey: ['groups', 'detail', id] });
      return client.invalidateQueries({ queryKey: ['groups', 'list'] });
    },
  });
}
