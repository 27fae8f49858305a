// Display helpers. Kafka's int64 values (offsets, lag, record counts) arrive as strings so they survive
// JSON; they are formatted as strings and compared as BigInt, never squeezed through a double.

export type Int64Like = string | number | bigint | null | undefined;

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function formatCount(v: Int64Like): string {
  if (v === null || v === undefined || v === '') return '—';
  const s = String(v);
  if (!/^-?\d+$/.test(s)) return s;
  return s.startsWith('-') ? `-${group(s.slice(1))}` : group(s);
}

export function toBigInt(v: Int64Like): bigint | null {
  if (v === null || v === undefined || v === '') return null;
  try {
    return BigInt(v);
  } catch {
    return null;
  }
}

export function compareInt64(a: Int64Like, b: Int64Like): number {
  const x = toBigInt(a) ?? -1n;
  const y = toBigInt(b) ?? -1n;
  return x < y ? -1 : x > y ? 1 : 0;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(v: Int64Like): string {
  const n = v === null || v === undefined || v === '' ? NaN : Number(v);
  if (!Number.isFinite(n)) return '—';
  let size = n;
  let unit = 0;
  while (size >= 1024 && unit < UNITS.length - 1) {
    size /= 1024;
    unit++;
  }
  return unit === 0 ? `${size} B` : `${size.toFixed(size < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

/** ISO-8601 in UTC with milliseconds: unambiguous across time zones and sortable as text. */
export function formatTimestamp(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) return String(v);
  const d = new Date(n);
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
