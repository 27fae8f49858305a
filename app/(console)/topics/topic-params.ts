import type { SortOrder, TopicListParams, TopicSort } from '../../_queries/topics';

const SORTS: TopicSort[] = ['name', 'partitions', 'replicationFactor', 'underReplicated', 'messages'];
export const PAGE_SIZES = [10, 25, 50, 100];

type Source = { get(name: string): string | null };

/** The topic list's state lives in the URL, so a view can be linked and the server can prefetch it. */
export function topicParamsFrom(search: Source): TopicListParams {
  const sort = search.get('sort') as TopicSort | null;
  const order = search.get('order') as SortOrder | null;
  const page = Number(search.get('page'));
  const pageSize = Number(search.get('pageSize'));
  return {
    search: search.get('search') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : 25,
    sort: sort && SORTS.includes(sort) ? sort : 'name',
    order: order === 'desc' ? 'desc' : 'asc',
    internal: search.get('internal') === 'true',
  };
}

export function recordSource(record: Record<string, string | string[] | undefined>): Source {
  return {
    get(name) {
      const v = record[name];
      return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
    },
  };
}

export function topicParamsToSearch(p: TopicListParams): string {
  const s = new URLSearchParams();
  if (p.search) s.set('search', p.search);
  if (p.page && p.page > 1) s.set('page', String(p.page));
  if (p.pageSize && p.pageSize !== 25) s.set('pageSize', String(p.pageSize));
  if (p.sort && p.sort !== 'name') s.set('sort', p.sort);
  if (p.order && p.order !== 'asc') s.set('order', p.order);
  if (p.internal) s.set('internal', 'true');
  const qs = s.toString();
  return qs ? `?${qs}` : '';
}
