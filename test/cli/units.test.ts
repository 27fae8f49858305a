/**
 * The tools' pure parts without a broker: jopt-simple-style parsing, the codec table the wire client
 * uses (must match the generated API_BY_KEY), DefaultMessageFormatter's layout, LineMessageReader's
 * parsing, --add-config lists, --topic-partitions rules and durations.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs, type ToolSpec } from '../../broker/cli/args';
import { CODECS } from '../../broker/cli/codecs';
import { UsageError } from '../../broker/cli/errors';
import { parseAddConfig } from '../../broker/cli/kafka-configs';
import { parseRule, parseTime } from '../../broker/cli/kafka-get-offsets';
import { LineReader } from '../../broker/cli/line-reader';
import { MessageFormatter, type FormattedRecord } from '../../broker/cli/message-formatter';
import { parseDuration } from '../../broker/cli/groups-reset';
import { IncludeList } from '../../broker/cli/topic-filter';
import { API_BY_KEY } from '../../broker/protocol/generated/index';

const SPEC: ToolSpec = {
  name: 'tool',
  summary: 'test',
  removed: { zookeeper: 'use --bootstrap-server' },
  options: [
    { name: 'bootstrap-server', kind: 'string', describe: '' },
    { name: 'from-beginning', kind: 'flag', describe: '' },
    { name: 'property', kind: 'string', multiple: true, describe: '' },
    { name: 'compression-codec', kind: 'optional', implicit: 'gzip', describe: '' },
    { name: 'partitions', kind: 'int', describe: '' },
    { name: 'partition', kind: 'int', describe: '' },
  ],
};

describe('argument parsing', () => {
  it('accepts --k v, --k=v, unique prefixes, repeats and optional arguments', () => {
    const a = parseArgs(SPEC, [
      '--bootstrap',
      'h:1',
      '--from-beg',
      '--property',
      'a=1',
      '--property=b=2',
      '--compression-codec',
      '--partitions=3',
    ]);
    expect(a.str('bootstrap-server')).toBe('h:1');
    expect(a.has('from-beginning')).toBe(true);
    expect(a.strs('property')).toEqual(['a=1', 'b=2']);
    expect(a.str('compression-codec')).toBe('gzip');
    expect(a.int('partitions')).toBe(3);
    expect(parseArgs(SPEC, ['--compression-codec', 'zstd']).str('compression-codec')).toBe('zstd');
    // An exact name wins over a longer one it prefixes.
    expect(parseArgs(SPEC, ['--partition', '1']).int('partition')).toBe(1);
  });

  it('explains unknown, ambiguous, removed and malformed options', () => {
    const fails = (argv: string[]) => {
      try {
        parseArgs(SPEC, argv).int('partitions');
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(fails(['--nope'])).toBe('nope is not a recognized option');
    expect(fails(['--part', '1'])).toBe(
      "Option 'part' is ambiguous; possibilities: 'partitions', 'partition'",
    );
    expect(fails(['--zookeeper', 'x'])).toBe('zookeeper is not a recognized option: use --bootstrap-server');
    expect(fails(['--partitions', 'x'])).toBe(
      "Cannot parse argument 'x' of option partitions: it must be an integer",
    );
    expect(fails(['--bootstrap-server'])).toBe('Option bootstrap-server requires an argument');
    expect(fails(['stray'])).toBe("Found non-option argument 'stray', which this tool does not take");
  });
});

describe('codec table', () => {
  it('matches the generated API_BY_KEY', () => {
    for (const c of CODECS) {
      const g = API_BY_KEY[c.apiKey];
      expect(g, c.name).toBeDefined();
      expect([c.name, c.minVersion, c.maxVersion, c.flexibleMin]).toEqual([
        g?.name,
        g?.minVersion,
        g?.maxVersion,
        g?.flexibleMin,
      ]);
      expect(c.readResponse).toBe(g?.readResponse);
      expect(c.writeRequest).toBe(g?.writeRequest);
    }
  });
});

describe('DefaultMessageFormatter layout', () => {
  const record: FormattedRecord = {
    partition: 2,
    offset: '7',
    timestamp: '1700000000000',
    timestampType: 0,
    key: Buffer.from('k'),
    value: Buffer.from('v'),
    headers: [
      ['h', Buffer.from('x')],
      ['n', null],
    ] as [string, Buffer | null][],
  };
  const fmt = (props: Record<string, string>, r: FormattedRecord = record) =>
    new MessageFormatter(new Map(Object.entries(props))).format(r).toString();

  it('prints the value alone by default, fields in Kafka order when asked', () => {
    expect(fmt({})).toBe('v\n');
    expect(
      fmt({
        'print.timestamp': 'true',
        'print.partition': 'true',
        'print.offset': 'true',
        'print.headers': 'true',
        'print.key': 'true',
      }),
    ).toBe('CreateTime:1700000000000\tPartition:2\tOffset:7\th:x,n:null\tk\tv\n');
    expect(fmt({ 'print.key': 'true', 'key.separator': ' | ', 'print.value': 'false' })).toBe('k\n');
    expect(fmt({ 'print.timestamp': 'true' }, { ...record, timestampType: 1 })).toBe(
      'LogAppendTime:1700000000000\tv\n',
    );
    expect(fmt({ 'print.key': 'true', 'null.literal': '<none>' }, { ...record, key: null })).toBe(
      '<none>\tv\n',
    );
  });
});

describe('LineMessageReader parsing', () => {
  const reader = (props: Record<string, string>) => new LineReader(new Map(Object.entries(props)));
  it('splits keys and headers at the first separator', () => {
    expect(reader({ 'parse.key': 'true', 'key.separator': ':' }).parse('a:b:c')).toEqual({
      key: 'a',
      value: 'b:c',
      headers: {},
    });
    expect(reader({ 'parse.key': 'true', 'parse.headers': 'true' }).parse('h1:v1,h2:v2\tk\tv')).toEqual({
      key: 'k',
      value: 'v',
      headers: { h1: 'v1', h2: 'v2' },
    });
    expect(reader({ 'parse.key': 'true', 'null.marker': '-' }).parse('-\t-')).toEqual({
      key: null,
      value: null,
      headers: {},
    });
    expect(reader({ 'parse.key': 'true', 'ignore.error': 'true' }).parse('whole')).toEqual({
      key: null,
      value: 'whole',
      headers: {},
    });
    const r = reader({ 'parse.key': 'true' });
    r.parse('a\tb');
    expect(() => r.parse('nokey')).toThrow("No key separator found on line number 2: 'nokey'");
  });
});

describe('small parsers', () => {
  it('--add-config keeps bracketed lists together', () => {
    expect(parseAddConfig('a=1,b=[x,y],c=z=w')).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'x,y' },
      { name: 'c', value: 'z=w' },
    ]);
    expect(() => parseAddConfig('novalue')).toThrow(/key=val/);
  });

  it('--topic-partitions rules, --time values, IncludeList and durations', () => {
    const rule = parseRule('orders.*:1-3');
    expect([rule.topic.matches('orders-eu'), rule.topic.matches('xorders')]).toEqual([true, false]);
    expect([0, 1, 2, 3].map(rule.partition)).toEqual([false, true, true, false]);
    expect([4, 5].map(parseRule(':5').partition)).toEqual([false, true]);
    expect([parseTime('earliest'), parseTime('-1'), parseTime('1700000000000')]).toEqual([
      -2n,
      -1n,
      1700000000000n,
    ]);
    expect(() => parseTime('yesterday')).toThrow(/Malformed time argument yesterday/);
    expect(new IncludeList("'a, b'").matches('b')).toBe(true);
    expect(parseDuration('P1DT2H3M4.5S')).toBe(((24 + 2) * 60 + 3) * 60_000 + 4_500);
    expect(() => parseDuration('1 day')).toThrow(/PnDTnHnMnS/);
  });
});
