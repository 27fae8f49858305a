/**
 * The quickstart's "write events / read events" steps with the console tools as child processes:
 * lines in (keys with parse.key, headers, compression codecs), records out (--from-beginning,
 * --max-messages, --partition/--offset, --include, --timeout-ms, print.* properties), and the
 * "Processed a total of N messages" line on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import { ok, runCli } from './cli';

let broker: TestBroker;
let bs: string;

beforeAll(async () => {
  // As in config/server.properties (the quickstart): groups form without the 3 s initial delay.
  broker = await withBroker({ 'group.initial.rebalance.delay.ms': 0 });
  bs = broker.bootstrap;
  await Promise.all([
    ok('kafka-topics', ['--bootstrap-server', bs, '--create', '--topic', 'quickstart-events']),
    ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--create',
      '--topic',
      'two-partitions',
      '--partitions',
      '2',
    ]),
  ]);
});

afterAll(() => broker?.cleanup());

const EVENTS = ['This is my first event', 'This is my second event', 'This is my third event'];

describe('kafka-console-producer and kafka-console-consumer', () => {
  it('writes lines with keys and reads them back from the beginning', async () => {
    const produced = await ok(
      'kafka-console-producer',
      [
        '--bootstrap-server',
        bs,
        '--topic',
        'quickstart-events',
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=:',
      ],
      { input: EVENTS.map((e, i) => `user${i}:${e}`).join('\n') + '\n' },
    );
    expect(produced.stdout).toBe('');

    const read = await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'quickstart-events',
      '--from-beginning',
      '--max-messages',
      '3',
    ]);
    expect(read.stdout).toBe(`${EVENTS.join('\n')}\n`);
    expect(read.stderr).toBe('Processed a total of 3 messages\n');

    const withKeys = await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'quickstart-events',
      '--from-beginning',
      '--max-messages',
      '3',
      '--property',
      'print.key=true',
      '--property',
      'key.separator= => ',
      '--property',
      'print.offset=true',
    ]);
    expect(withKeys.stdout).toBe(EVENTS.map((e, i) => `Offset:${i} => user${i} => ${e}`).join('\n') + '\n');
  });

  it('prints timestamp, partition, offset and headers like DefaultMessageFormatter', async () => {
    const before = Date.now();
    await ok(
      'kafka-console-producer',
      [
        '--broker-list',
        bs,
        '--topic',
        'formatted',
        '--property',
        'parse.headers=true',
        '--property',
        'parse.key=true',
        '--property',
        'null.marker=NULL',
      ],
      { input: 'h1:v1,h2:v2\tk\tvalue one\n\tNULL\tvalue two\n' },
    );
    const r = await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'formatted',
      '--from-beginning',
      '--max-messages',
      '2',
      '--property',
      'print.timestamp=true',
      '--property',
      'print.partition=true',
      '--property',
      'print.offset=true',
      '--property',
      'print.headers=true',
      '--property',
      'print.key=true',
    ]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^CreateTime:(\d+)\tPartition:0\tOffset:0\th1:v1,h2:v2\tk\tvalue one$/);
    expect(lines[1]).toMatch(/^CreateTime:(\d+)\tPartition:0\tOffset:1\tNO_HEADERS\tnull\tvalue two$/);
    expect(Number(/CreateTime:(\d+)/.exec(lines[0])?.[1])).toBeGreaterThanOrEqual(before - 1000);
    expect(lines.slice(2)).toEqual(['']);
  });

  it('sends with every compression codec and acks setting', async () => {
    const codecs = ['gzip', 'snappy', 'lz4', 'zstd', 'none'];
    await Promise.all(
      codecs.map((codec, i) =>
        ok(
          'kafka-console-producer',
          [
            '--bootstrap-server',
            bs,
            '--topic',
            'compressed',
            '--compression-codec',
            codec,
            ...(i % 2 ? ['--request-required-acks', '1'] : ['--producer-property', 'acks=all']),
          ],
          { input: `${codec}-a\n${codec}-b\n` },
        ),
      ),
    );
    // A bare --compression-codec means gzip, as in Kafka.
    await ok(
      'kafka-console-producer',
      ['--bootstrap-server', bs, '--topic', 'compressed', '--compression-codec'],
      {
        input: 'bare-a\nbare-b\n',
      },
    );
    const r = await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'compressed',
      '--from-beginning',
      '--max-messages',
      '12',
    ]);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(
      [...codecs, 'bare'].flatMap((c) => [`${c}-a`, `${c}-b`]).sort(),
    );
  });

  it('reads one partition from an offset, topics by regex, and stops after --timeout-ms', async () => {
    await ok(
      'kafka-console-producer',
      ['--bootstrap-server', bs, '--topic', 'two-partitions', '--property', 'parse.key=true'],
      {
        input: Array.from({ length: 10 }, (_, i) => `key${i}\tv${i}`).join('\n') + '\n',
      },
    );
    const [p0, p1] = await Promise.all(
      [0, 1].map((p) =>
        ok('kafka-console-consumer', [
          '--bootstrap-server',
          bs,
          '--topic',
          'two-partitions',
          '--partition',
          String(p),
          '--offset',
          'earliest',
          '--timeout-ms',
          '3000',
          '--property',
          'print.partition=true',
        ]),
      ),
    );
    const l0 = p0.stdout.split('\n').filter(Boolean);
    const l1 = p1.stdout.split('\n').filter(Boolean);
    expect(l0.every((l) => l.startsWith('Partition:0\t'))).toBe(true);
    expect(l1.every((l) => l.startsWith('Partition:1\t'))).toBe(true);
    expect(l0.length + l1.length).toBe(10);
    expect(p0.stderr).toBe(`Processed a total of ${l0.length} messages\n`);

    // From offset 1 of partition 0: everything but its first record.
    const from1 = await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'two-partitions',
      '--partition',
      '0',
      '--offset',
      '1',
      '--timeout-ms',
      '3000',
      '--property',
      'print.partition=true',
    ]);
    expect(from1.stdout.split('\n').filter(Boolean)).toEqual(l0.slice(1));

    const byRegex = await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--include',
      'two-part.*',
      '--from-beginning',
      '--max-messages',
      '10',
    ]);
    expect(byRegex.stdout.split('\n').filter(Boolean).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `v${i}`).sort(),
    );

    // Nothing new at the end of the log: --timeout-ms ends the run with exit code 0.
    const idle = await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'two-partitions',
      '--timeout-ms',
      '2000',
    ]);
    expect([idle.stdout, idle.stderr]).toEqual(['', 'Processed a total of 0 messages\n']);
  });

  it("rejects a line without the key separator with Kafka's message", async () => {
    const r = await runCli(
      'kafka-console-producer',
      ['--bootstrap-server', bs, '--topic', 'quickstart-events', '--property', 'parse.key=true'],
      {
        input: 'no separator here\n',
      },
    );
    expect([r.code, r.stderr]).toEqual([
      1,
      "Error: No key separator found on line number 1: 'no separator here'\n",
    ]);
    const bad = await runCli('kafka-console-producer', [
      '--bootstrap-server',
      bs,
      '--topic',
      't',
      '--compression-codec',
      'brotli',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: Invalid compression codec 'brotli'.*\n$/);
  });
});
