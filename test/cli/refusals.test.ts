/**
 * What the tools refuse, and how: a removed option (--zookeeper), unknown flags, bad combinations, an
 * unreachable cluster. Each gives exit code 1 and one line on stderr, never a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import { getFreePort } from '../helpers/net';
import { ok, runCli } from './cli';

let broker: TestBroker;
let bs: string;

beforeAll(async () => {
  broker = await withBroker();
  bs = broker.bootstrap;
});

afterAll(() => broker?.cleanup());

describe('refusals: one line on stderr, exit code 1, no stack trace', () => {
  it('refuses --zookeeper with the reason and the replacement', async () => {
    const tools = ['kafka-topics', 'kafka-configs', 'kafka-consumer-groups', 'kafka-console-consumer'];
    const runs = await Promise.all(
      tools.map((tool) => runCli(tool, ['--zookeeper', 'localhost:2181', '--list'])),
    );
    runs.forEach((r, i) => {
      expect([r.code, r.stdout, r.stderr], tools[i]).toEqual([
        1,
        '',
        `Error: zookeeper is not a recognized option: --zookeeper was removed in Kafka 3.0 (KIP-604); connect to a broker with --bootstrap-server <host:port> instead. Run '${tools[i]} --help' for usage.\n`,
      ]);
    });
  });

  it('rejects bad flags and bad combinations', async () => {
    const cases: [string, string[], string][] = [
      [
        'kafka-topics',
        ['--bootstrap-server', bs, '--list', '--bogus'],
        "Error: bogus is not a recognized option. Run 'kafka-topics --help' for usage.\n",
      ],
      [
        'kafka-topics',
        ['--bootstrap-server', bs],
        "Error: Command must include exactly one action: --list, --describe, --create, --alter or --delete. Run 'kafka-topics --help' for usage.\n",
      ],
      [
        'kafka-topics',
        ['--bootstrap-server', bs, '--create'],
        'Error: Missing required argument "[topic]". Run \'kafka-topics --help\' for usage.\n',
      ],
      [
        'kafka-topics',
        ['--list'],
        "Error: --bootstrap-server must be specified. Run 'kafka-topics --help' for usage.\n",
      ],
      [
        'kafka-topics',
        ['--bootstrap-server', bs, '--create', '--topic', 't', '--partitions', 'two'],
        "Error: Cannot parse argument 'two' of option partitions: it must be an integer. Run 'kafka-topics --help' for usage.\n",
      ],
      [
        'kafka-topics',
        ['--bootstrap-server', bs, '--alter', '--topic', 't', '--config', 'a=b', '--partitions', '2'],
        'Error: Option "[alter]" can\'t be used with option "[config]" (To alter topic configurations, the kafka-configs tool can be used.). Run \'kafka-topics --help\' for usage.\n',
      ],
      [
        'kafka-console-consumer',
        ['--bootstrap-server', bs],
        "Error: Exactly one of include/topic is required. Run 'kafka-console-consumer --help' for usage.\n",
      ],
      [
        'kafka-console-consumer',
        ['--bootstrap-server', bs, '--topic', 't', '--group', 'g', '--partition', '0'],
        "Error: Options group and partition cannot be specified together. Run 'kafka-console-consumer --help' for usage.\n",
      ],
      [
        'kafka-console-producer',
        ['--bootstrap-server', bs],
        'Error: Missing required argument "[topic]". Run \'kafka-console-producer --help\' for usage.\n',
      ],
      [
        'kafka-consumer-groups',
        ['--bootstrap-server', bs, '--describe'],
        "Error: Option [describe] takes one of these options: [all-groups], [group]. Run 'kafka-consumer-groups --help' for usage.\n",
      ],
      [
        'kafka-configs',
        ['--bootstrap-server', bs, '--describe', '--entity-type', 'brokers', '--entity-name', 'x'],
        "Error: The entity name for brokers must be a valid integer broker id, but it is: x. Run 'kafka-configs --help' for usage.\n",
      ],
    ];
    const results = await Promise.all(cases.map(([tool, args]) => runCli(tool, args)));
    results.forEach((r, i) => {
      expect([r.code, r.stderr], cases[i][1].join(' ')).toEqual([1, cases[i][2]]);
    });
  });

  it('reports an unreachable cluster like the Java client, for every tool', async () => {
    const port = await getFreePort();
    const down = `127.0.0.1:${port}`;
    const message = `Error: Connection to node -1 (127.0.0.1/127.0.0.1:${port}) could not be established. Node may not be available.\n`;
    const runs = await Promise.all([
      runCli('kafka-topics', ['--bootstrap-server', down, '--list']),
      runCli('kafka-console-producer', ['--bootstrap-server', down, '--topic', 't'], { input: 'x\n' }),
      runCli('kafka-console-consumer', ['--bootstrap-server', down, '--topic', 't']),
      runCli('kafka-consumer-groups', ['--bootstrap-server', down, '--list']),
      runCli('kafka-configs', ['--bootstrap-server', down, '--describe', '--topic', 't']),
      runCli('kafka-get-offsets', ['--bootstrap-server', down, '--topic', 't']),
    ]);
    for (const r of runs) expect([r.code, r.stderr]).toEqual([1, message]);
  });

  it('prints --help on stdout with exit code 0', async () => {
    const r = await ok('kafka-topics', ['--help']);
    expect(r.stdout).toMatch(
      /^This tool helps to create, delete, describe, or change a topic\.\nOption +Description\n/,
    );
    expect(r.stdout).toContain('--bootstrap-server <String: server to');
  });
});
