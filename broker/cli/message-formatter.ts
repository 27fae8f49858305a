/**
 * The console consumer's output, as Kafka's DefaultMessageFormatter writes it: optional timestamp
 * ("CreateTime:1700000000000"), "Partition:N", "Offset:N", headers ("k:v,k2:v2" or NO_HEADERS) and
 * key, each followed by key.separator, then the value and line.separator. Bytes are written as they
 * are (no decoding), and a null key or value prints null.literal ("null").
 */
import { boolProp } from './properties';

export interface FormattedRecord {
  partition: number;
  offset: string;
  timestamp: string;
  /** 0 CreateTime, 1 LogAppendTime, -1 none (kafkajs TimestampTypes). */
  timestampType: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer | null][];
}

export class MessageFormatter {
  private readonly printTimestamp: boolean;
  private readonly printKey: boolean;
  private readonly printValue: boolean;
  private readonly printPartition: boolean;
  private readonly printOffset: boolean;
  private readonly printHeaders: boolean;
  private readonly keySeparator: Buffer;
  private readonly lineSeparator: Buffer;
  private readonly headersSeparator: Buffer;
  private readonly nullLiteral: Buffer;

  constructor(props: Map<string, string>) {
    this.printTimestamp = boolProp(props, 'print.timestamp');
    this.printKey = boolProp(props, 'print.key');
    this.printValue = boolProp(props, 'print.value', true);
    this.printPartition = boolProp(props, 'print.partition');
    this.printOffset = boolProp(props, 'print.offset');
    this.printHeaders = boolProp(props, 'print.headers');
    this.keySeparator = Buffer.from(props.get('key.separator') ?? '\t');
    this.lineSeparator = Buffer.from(props.get('line.separator') ?? '\n');
    this.headersSeparator = Buffer.from(props.get('headers.separator') ?? ',');
    this.nullLiteral = Buffer.from(props.get('null.literal') ?? 'null');
  }

  format(r: FormattedRecord): Buffer {
    const parts: Buffer[] = [];
    const text = (s: string) => parts.push(Buffer.from(s));
    // After each field: key.separator if another field follows, line.separator if it was the last.
    const sep = (more: boolean) => parts.push(more ? this.keySeparator : this.lineSeparator);
    const bytes = (b: Buffer | null) => parts.push(b ?? this.nullLiteral);
    if (this.printTimestamp) {
      if (r.timestampType === 1) text(`LogAppendTime:${r.timestamp}`);
      else if (r.timestampType === 0) text(`CreateTime:${r.timestamp}`);
      else text('NO_TIMESTAMP');
      sep(this.printPartition || this.printOffset || this.printHeaders || this.printKey || this.printValue);
    }
    if (this.printPartition) {
      text(`Partition:${r.partition}`);
      sep(this.printOffset || this.printHeaders || this.printKey || this.printValue);
    }
    if (this.printOffset) {
      text(`Offset:${r.offset}`);
      sep(this.printHeaders || this.printKey || this.printValue);
    }
    if (this.printHeaders) {
      if (r.headers.length === 0) text('NO_HEADERS');
      r.headers.forEach(([k, v], i) => {
        text(`${k}:`);
        bytes(v);
        if (i < r.headers.length - 1) parts.push(this.headersSeparator);
      });
      sep(this.printKey || this.printValue);
    }
    if (this.printKey) {
      bytes(r.key);
      sep(this.printValue);
    }
    if (this.printValue) {
      bytes(r.value);
      parts.push(this.lineSeparator);
    }
    return Buffer.concat(parts);
  }
}
