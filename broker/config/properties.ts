/**
 * java.util.Properties text format, as Kafka reads server.properties (Properties.load(Reader)):
 * `#`/`!` comment lines, `key=value` / `key: value` / `key value`, odd trailing backslash continues the
 * line (leading whitespace of the next line dropped), `\t \n \r \f \uXXXX` escapes, `\x` = x, last
 * duplicate wins. One deliberate difference: trailing unescaped whitespace of a value is dropped
 * (Java keeps it, but Kafka's ConfigDef trims every typed value anyway, so no Kafka key changes meaning).
 */
import { ConfigError } from './errors';

const WS = new Set([' ', '\t', '\f']);

export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = skipLeadingWhitespace(lines[i]);
    // A comment is recognised only at the start of a logical line and never continues.
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    while (endsWithContinuation(line)) {
      line = line.slice(0, -1);
      if (++i >= lines.length) break;
      line += skipLeadingWhitespace(lines[i]);
    }
    const { key, value } = splitKeyValue(line);
    out.set(unescape(key, lineNo).text, trimUnescapedEnd(unescape(value, lineNo)));
  }
  return out;
}

function skipLeadingWhitespace(s: string): string {
  let i = 0;
  while (i < s.length && WS.has(s[i])) i++;
  return s.slice(i);
}

function endsWithContinuation(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** Mirrors Properties.load0: the key ends at the first unescaped `=`, `:` or whitespace. */
function splitKeyValue(line: string): { key: string; value: string } {
  let keyLen = 0;
  let valueStart = line.length;
  let hasSep = false;
  let precedingBackslash = false;
  while (keyLen < line.length) {
    const c = line[keyLen];
    if ((c === '=' || c === ':') && !precedingBackslash) {
      valueStart = keyLen + 1;
      hasSep = true;
      break;
    }
    if (WS.has(c) && !precedingBackslash) {
      valueStart = keyLen + 1;
      break;
    }
    precedingBackslash = c === '\\' ? !precedingBackslash : false;
    keyLen++;
  }
  while (valueStart < line.length) {
    const c = line[valueStart];
    if (!WS.has(c)) {
      if (!hasSep && (c === '=' || c === ':')) hasSep = true;
      else break;
    }
    valueStart++;
  }
  return { key: line.slice(0, keyLen), value: line.slice(valueStart) };
}

interface Unescaped {
  text: string;
  /** Length of `text` up to and including its last escaped or non-whitespace character. */
  significant: number;
}

function unescape(s: string, lineNo: number): Unescaped {
  let text = '';
  let significant = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      text += c;
      if (!WS.has(c)) significant = text.length;
      continue;
    }
    const e = s[++i];
    if (e === undefined) break; // a dangling backslash at end of input: Java drops it
    if (e === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new ConfigError(`Malformed \\uxxxx encoding "\\u${hex}" on line ${lineNo} of the properties`);
      }
      text += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      text += e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 'f' ? '\f' : e;
    }
    significant = text.length;
  }
  return { text, significant };
}

function trimUnescapedEnd(u: Unescaped): string {
  return u.text.slice(0, u.significant);
}
