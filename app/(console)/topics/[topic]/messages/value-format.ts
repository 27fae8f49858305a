export type ValueView = 'text' | 'json' | 'hex' | 'base64';

export const VIEWS: { id: ValueView; label: string }[] = [
  { id: 'text', label: 'Text' },
  { id: 'json', label: 'JSON' },
  { id: 'hex', label: 'Hex' },
  { id: 'base64', label: 'Base64' },
];

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Hex dump: bytes as two-digit pairs, 16 per line, the layout of `xxd -p` with spaces. */
export function toHex(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    lines.push(Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' '));
  }
  return lines.join('\n');
}

export interface Rendered {
  text: string;
  /** Set when the requested view does not apply (e.g. JSON view of a non-JSON value). */
  note?: string;
  isNull?: boolean;
}

/**
 * The value as the chosen view shows it. Always plain text: the caller renders it as a React text
 * node, so markup inside a message stays inert.
 */
export function renderValue(text: string | null, base64: string | null, view: ValueView): Rendered {
  if (text === null && base64 === null) return { text: 'null', isNull: true };
  const b64 = base64 ?? utf8ToBase64(text ?? '');
  switch (view) {
    case 'text':
      return text !== null
        ? { text }
        : { text: new TextDecoder().decode(base64ToBytes(b64)), note: 'binary: not UTF-8' };
    case 'json': {
      const raw = text ?? new TextDecoder().decode(base64ToBytes(b64));
      try {
        return { text: JSON.stringify(JSON.parse(raw), null, 2) };
      } catch {
        return { text: raw, note: 'not JSON' };
      }
    }
    case 'hex':
      return { text: toHex(base64ToBytes(b64)) };
    case 'base64':
      return { text: b64 };
  }
}
