/**
 * One input line -> one record, with the properties of Kafka's LineMessageReader (console producer
 * `--property`): parse.key + key.separator, parse.headers + headers.delimiter/separator/key.separator,
 * null.marker, ignore.error. A line without the separator fails with Kafka's message unless
 * ignore.error is set, in which case the whole line becomes the value.
 */
import { CliError } from './errors';
import { boolProp } from './properties';

export interface LineRecord {
  key: string | null;
  value: string | null;
  headers: Record<string, string | null>;
}

export class LineReader {
  private readonly parseKey: boolean;
  private readonly keySeparator: string;
  private readonly parseHeaders: boolean;
  private readonly headersDelimiter: string;
  private readonly headersSeparator: string;
  private readonly headersKeySeparator: string;
  private readonly ignoreError: boolean;
  private readonly nullMarker: string | undefined;
  private lineNumber = 0;

  constructor(props: Map<string, string>) {
    this.parseKey = boolProp(props, 'parse.key');
    this.keySeparator = props.get('key.separator') ?? '\t';
    this.parseHeaders = boolProp(props, 'parse.headers');
    this.headersDelimiter = props.get('headers.delimiter') ?? '\t';
    this.headersSeparator = props.get('headers.separator') ?? ',';
    this.headersKeySeparator = props.get('headers.key.separator') ?? ':';
    this.ignoreError = boolProp(props, 'ignore.error');
    this.nullMarker = props.get('null.marker');
    if (this.nullMarker === '') throw new CliError('null.marker cannot be empty');
    if (this.parseKey && this.keySeparator === '') throw new CliError('key.separator cannot be empty');
  }

  private marker(s: string): string | null {
    return this.nullMarker !== undefined && s === this.nullMarker ? null : s;
  }

  /** Splits at the first `sep`; null when absent and errors are ignored. */
  private split(line: string, sep: string, what: string): [string, string] | null {
    const at = line.indexOf(sep);
    if (at >= 0) return [line.slice(0, at), line.slice(at + sep.length)];
    if (this.ignoreError) return null;
    throw new CliError(`No ${what} found on line number ${this.lineNumber}: '${line}'`);
  }

  parse(line: string): LineRecord {
    this.lineNumber++;
    let rest = line;
    const headers: Record<string, string | null> = {};
    if (this.parseHeaders) {
      const parts = this.split(rest, this.headersDelimiter, 'headers delimiter');
      if (parts) {
        rest = parts[1];
        for (const pair of parts[0].split(this.headersSeparator).filter((p) => p !== '')) {
          const at = pair.indexOf(this.headersKeySeparator);
          if (at < 0) {
            if (this.ignoreError) continue;
            throw new CliError(
              `No header key separator found in pair '${pair}' on line number ${this.lineNumber}`,
            );
          }
          const k = pair.slice(0, at);
          if (this.nullMarker !== undefined && k === this.nullMarker)
            throw new CliError(
              `Header keys should not be equal to the null marker '${this.nullMarker}' as they can't be null`,
            );
          headers[k] = this.marker(pair.slice(at + this.headersKeySeparator.length));
        }
      }
    }
    let key: string | null = null;
    if (this.parseKey) {
      const parts = this.split(rest, this.keySeparator, 'key separator');
      if (parts) {
        key = this.marker(parts[0]);
        rest = parts[1];
      }
    }
    return { key, value: this.marker(rest), headers };
  }
}
