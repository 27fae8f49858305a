import type { TopicListParams } from '../_queries/topics';

export const OVERVIEW_REFRESH_MS = 5_000;

export const TOP_TOPICS: TopicListParams = { sort: 'messages', order: 'desc', pageSize: 8, internal: false };

// Internal topics count for cluster health (an under-replicated __consumer_offsets stalls every group).
// Topics with under-replicated partitions sort first; past this many the overview says "at least".
export const URP_TOPICS: TopicListParams = {
  sort: 'underReplicated',
  order: 'desc',
  pageSize: 100,
  internal: true,
};
