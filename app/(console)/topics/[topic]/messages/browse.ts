import type { BrowseParams, KafkaMessage, MessagePage } from '../../../../_queries/messages';

export type Mode = 'newest' | 'oldest' | 'offset' | 'timestamp';

export interface BrowseForm {
  partition: string; // '' = all partitions
  mode: Mode;
  offset: string;
  /** datetime-local value, read as UTC like every timestamp the console shows. */
  time: string;
  limit: number;
}

export const LIMITS = [20, 50, 100, 500];

/** What the page shows first; the server prefetches exactly this, so the cache key must match. */
export const DEFAULT_BROWSE: BrowseParams = { position: 'newest', limit: 50 };

export const DEFAULT_FORM: BrowseForm = { partition: '', mode: 'newest', offset: '0', time: '', limit: 50 };

export function formToParams(f: BrowseForm): { params?: BrowseParams; error?: string } {
  const params: BrowseParams = { limit: f.limit };
  if (f.partition !== '') params.partition = Number(f.partition);
  switch (f.mode) {
    case 'newest':
    case 'oldest':
      params.position = f.mode;
      break;
    case 'offset':
      if (!/^\d+$/.test(f.offset.trim())) return { error: 'Offset must be a whole number, 0 or more.' };
      params.offset = f.offset.trim();
      break;
    case 'timestamp': {
      const ms = Date.parse(`${f.time}Z`);
      if (!f.time || Number.isNaN(ms)) return { error: 'Pick a date and time (UTC).' };
      params.timestamp = ms;
      break;
    }
  }
  return { params };
}

/** datetime-local text for a UTC instant, to seed the timestamp field from a shown message. */
export function toUtcInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}

export interface PageLinks {
  older?: BrowseParams;
  newer?: BrowseParams;
  /** Why paging is off, for the buttons' hint. */
  reason?: string;
}

/**
 * Paging moves by offsets within one partition: offsets are the only order Kafka guarantees, and a
 * page across partitions has no single "next" position.
 */
export function pageLinks(current: BrowseParams, page: MessagePage | undefined): PageLinks {
  if (!page) return {};
  const partition =
    current.partition ?? (page.partitions.length === 1 ? page.partitions[0].partition : undefined);
  if (partition === undefined) return { reason: 'Choose a partition to page through its offsets.' };
  const limit = BigInt(current.limit ?? 50);
  const bounds = page.partitions.find((p) => p.partition === partition);
  const low = BigInt(bounds?.low ?? 0);
  const high = BigInt(bounds?.high ?? 0);
  const offsets = page.messages
    .filter((m: KafkaMessage) => m.partition === partition)
    .map((m) => BigInt(m.offset));
  const base = { partition, limit: current.limit };
  let first: bigint;
  let last: bigint;
  if (offsets.length > 0) {
    first = offsets.reduce((a, b) => (b < a ? b : a));
    last = offsets.reduce((a, b) => (b > a ? b : a));
  } else {
    const start =
      current.offset !== undefined ? BigInt(current.offset) : current.position === 'oldest' ? low : high;
    first = start;
    last = start - 1n;
  }
  const links: PageLinks = {};
  if (first > low) {
    const from = first - limit > low ? first - limit : low;
    links.older = { ...base, offset: from.toString() };
  }
  if (last + 1n < high) links.newer = { ...base, offset: (last + 1n).toString() };
  return links;
}
