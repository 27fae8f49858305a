import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, enc, withQuery } from './api';
import type { Int64 } from './topics';

export interface KafkaMessage {
  partition: number;
  offset: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  key: string | null;
  value: string | null;
  /** value is null when the bytes are not valid UTF-8; valueBase64 always holds them. */
  headers: { key: string; value: string | null; valueBase64: string | null }[];
  keyBase64: string | null;
  valueBase64: string | null;
}

export interface MessagePage {
  messages: KafkaMessage[];
  partitions: { partition: number; low: Int64; high: Int64 }[];
}

export type Position = 'newest' | 'oldest';

export interface BrowseParams {
  partition?: number;
  offset?: string;
  /** Milliseconds since the epoch. */
  timestamp?: number;
  position?: Position;
  limit?: number;
}

export const messagesQuery = (topic: string, params: BrowseParams) =>
  queryOptions({
    queryKey: ['messages', topic, params],
    queryFn: ({ signal }) =>
      api<MessagePage>(withQuery(`/api/v1/topics/${enc(topic)}/messages`, { ...params }), { signal }),
    placeholderData: keepPreviousData,
    // A browse is a snapshot the user pages through; new messages arrive on an explicit refresh.
    staleTime: Infinity,
  });

export function useMessages(topic: string, params: BrowseParams) {
  return useQuery(messagesQuery(topic, params));
}

export interface ProduceInput {
  partition?: number;
  key?: string;
  value: string;
  headers?: Record<string, string>;
  count?: number;
}

export function useProduce(topic: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ProduceInput) =>
      api<{ results: { partition: number; offset: string }[] }>(`/api/v1/topics/${enc(topic)}/messages`, {
        method: 'POST',
        body: input,
      }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['messages', topic] }),
        client.invalidateQueries({ queryKey: ['topics'] }),
      ]),
  });
}
