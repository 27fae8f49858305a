/**
 * A dynamic route segment as the name it stands for. Topic names are URL-safe; group ids may hold any
 * character, and a %-escape typed by hand still resolves.
 */
export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
