// Kafka's own topic name rules (org.apache.kafka.common.internals.Topic.validate), checked as the user
// types; the broker has the final word and its answer is shown against the same field.
const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_NAME_LENGTH = 249;

export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'Enter a topic name.';
  if (name === '.' || name === '..') return 'A topic cannot be named "." or "..".';
  if (name.length > MAX_NAME_LENGTH)
    return `A topic name is at most ${MAX_NAME_LENGTH} characters (${name.length} now).`;
  if (!LEGAL.test(name)) {
    const bad = [...new Set(name.replace(/[a-zA-Z0-9._-]/g, ''))].map((c) =>
      c === ' ' ? 'space' : `"${c}"`,
    );
    return `Only letters, digits, ".", "_" and "-" are allowed (not ${bad.join(', ')}).`;
  }
  return null;
}

/** Kafka maps "." to "_" in metric names, so "a.b" and "a_b" collide there (Kafka warns the same way). */
export function topicNameWarning(name: string): string | null {
  return name.includes('.') && name.includes('_')
    ? 'Names with both "." and "_" can collide in metric names; prefer one of them.'
    : null;
}

/** `key=value` per line; blank lines and lines starting with # are skipped. */
export function parseKeyValueLines(text: string): { entries: [string, string][]; error: string | null } {
  const entries: [string, string][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { entries, error: `Line ${i + 1}: expected key=value, got "${line}".` };
    entries.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return { entries, error: null };
}
