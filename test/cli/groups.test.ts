/**
 * The consumer-group chapter of the tutorials with kafka-consumer-groups and the console consumer as
 * child processes: a group that consumed part of a topic shows CURRENT-OFFSET / LOG-END-OFFSET / LAG in
 * Kafka's table, offsets are reset (dry run by default, --execute to commit) and the table follows,
 * an active member shows its consumer id, host and client id, and groups are listed and deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import { ok, runCli, startCli } from './cli';

let broker: TestBroker;
let bs: string;

const HEADER =
  'GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID';
/** One row of Kafka's describe table for an inactive member ("-" for consumer, host, client). */
const idleRow = (group: string, topic: string, partition: number, current: number, end: number) =>
  [
    group.padEnd(15),
    topic.padEnd(15),
    String(partition).padEnd(10),
    String(current).padEnd(15),
    String(end).padEnd(15),
    String(end - current).padEnd(15),
    '-'.padEnd(15),
    '-'.padEnd(15),
    '-',
  ].join(' ');

beforeAll(async () => {
  // As in config/server.properties (the quickstart): groups form without the 3 s initial delay.
  broker = await withBroker({ 'group.initial.rebalance.delay.ms': 0 });
  bs = broker.bootstrap;
  await ok('kafka-topics', ['--bootstrap-server', bs, '--create', '--topic', 'orders']);
  await ok('kafka-console-producer', ['--bootstrap-server', bs, '--topic', 'orders'], {
    input: 'order-0\norder-1\norder-2\norder-3\norder-4\n',
  });
});

afterAll(() => broker?.cleanup());

const groups = (...args: string[]) => ok('kafka-consumer-groups', ['--bootstrap-server', bs, ...args]);

describe('kafka-consumer-groups', () => {
  it('shows the lag of a group that consumed part of a topic, and follows offset resets', async () => {
    const part = await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'orders',
      '--group',
      'my-group',
      '--from-beginning',
      '--max-messages',
      '3',
    ]);
    expect(part.stdout).toBe('order-0\norder-1\norder-2\n');

    const d = await groups('--describe', '--group', 'my-group');
    expect(d.stdout).toBe(`\n${HEADER}\n${idleRow('my-group', 'orders', 0, 3, 5)}\n`);
    expect(d.stderr).toBe("\nConsumer group 'my-group' has no active members.\n");

    // Dry run is the default: the plan is printed, nothing changes.
    const dry = await groups('--reset-offsets', '--group', 'my-group', '--topic', 'orders', '--to-earliest');
    expect(dry.stdout).toBe(
      '\nGROUP           TOPIC           PARTITION  NEW-OFFSET\nmy-group        orders          0          0\n',
    );
    expect(dry.stderr).toMatch(/^WARN: No action will be performed as the --execute option is missing\./);
    expect((await groups('--describe', '--group', 'my-group')).stdout).toContain(
      idleRow('my-group', 'orders', 0, 3, 5),
    );

    const exec = await groups(
      '--reset-offsets',
      '--group',
      'my-group',
      '--topic',
      'orders',
      '--to-earliest',
      '--execute',
    );
    expect(exec.stdout).toBe(dry.stdout);
    expect(exec.stderr).toBe('');
    expect((await groups('--describe', '--group', 'my-group')).stdout).toBe(
      `\n${HEADER}\n${idleRow('my-group', 'orders', 0, 0, 5)}\n`,
    );

    await groups('--reset-offsets', '--group', 'my-group', '--all-topics', '--shift-by', '2', '--execute');
    expect((await groups('--describe', '--group', 'my-group')).stdout).toContain(
      idleRow('my-group', 'orders', 0, 2, 5),
    );

    const clamped = await groups(
      '--reset-offsets',
      '--group',
      'my-group',
      '--topic',
      'orders:0',
      '--to-offset',
      '99',
      '--dry-run',
    );
    expect(clamped.stdout).toContain('my-group        orders          0          5\n');
    expect(clamped.stderr).toBe(
      'WARN New offset (99) is higher than latest offset for topic partition orders-0. Value will be set to 5\n',
    );
    const future = await groups(
      '--reset-offsets',
      '--group',
      'my-group',
      '--topic',
      'orders',
      '--to-datetime',
      '2999-01-01T00:00:00.000',
      '--dry-run',
    );
    expect(future.stdout).toContain('my-group        orders          0          5\n');
    const past = await groups(
      '--reset-offsets',
      '--group',
      'my-group',
      '--topic',
      'orders',
      '--by-duration',
      'P1D',
      '--dry-run',
    );
    expect(past.stdout).toContain('my-group        orders          0          0\n');

    // The group resumes where the reset put it.
    const rest = await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'orders',
      '--group',
      'my-group',
      '--timeout-ms',
      '3000',
    ]);
    expect(rest.stdout).toBe('order-2\norder-3\norder-4\n');
    expect((await groups('--describe', '--group', 'my-group')).stdout).toContain(
      idleRow('my-group', 'orders', 0, 5, 5),
    );
  });

  it('lists an active member, its state, and refuses to reset a running group', async () => {
    const live = startCli('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'orders',
      '--group',
      'live-group',
      '--from-beginning',
    ]);
    try {
      // Until the member has joined and consumed everything (lag 0), describe shows less.
      let d = await runCli('kafka-consumer-groups', [
        '--bootstrap-server',
        bs,
        '--describe',
        '--group',
        'live-group',
      ]);
      for (let i = 0; i < 100 && !/ 0 +console-consumer-/.test(d.stdout); i++) {
        await new Promise((r) => setTimeout(r, 200));
        d = await runCli('kafka-consumer-groups', [
          '--bootstrap-server',
          bs,
          '--describe',
          '--group',
          'live-group',
        ]);
      }
      const [header, row] = d.stdout.split('\n').slice(1);
      const memberId = /console-consumer-[0-9a-f-]+/.exec(row)?.[0] ?? '';
      expect(header).toBe(HEADER.replace('CONSUMER-ID     ', 'CONSUMER-ID'.padEnd(memberId.length + 1)));
      expect(row).toBe(
        [
          'live-group'.padEnd(15),
          'orders'.padEnd(15),
          '0'.padEnd(10),
          '5'.padEnd(15),
          '5'.padEnd(15),
          '0'.padEnd(15),
          memberId,
          '/127.0.0.1'.padEnd(15),
          'console-consumer',
        ].join(' '),
      );
      expect(d.stderr).toBe('');

      const members = await groups('--describe', '--group', 'live-group', '--members');
      expect(members.stdout).toBe(
        `\n${['GROUP'.padEnd(15), 'CONSUMER-ID'.padEnd(memberId.length), 'HOST'.padEnd(15), 'CLIENT-ID'.padEnd(16), '#PARTITIONS'.padEnd(15)].join(' ')} \n` +
          `${['live-group'.padEnd(15), memberId, '/127.0.0.1'.padEnd(15), 'console-consumer'.padEnd(15), '1'.padEnd(15)].join(' ')} \n`,
      );
      const state = await groups('--describe', '--group', 'live-group', '--state');
      const stateLines = state.stdout.split('\n');
      expect(stateLines[1]).toMatch(/^GROUP +COORDINATOR \(ID\) +ASSIGNMENT-STRATEGY +STATE +#MEMBERS$/);
      expect(stateLines[2]).toMatch(
        new RegExp(`^live-group +127\\.0\\.0\\.1:${broker.port} {2}\\(1\\) +\\S+ +Stable +1$`),
      );

      const refused = await runCli('kafka-consumer-groups', [
        '--bootstrap-server',
        bs,
        '--reset-offsets',
        '--group',
        'live-group',
        '--all-topics',
        '--to-earliest',
        '--execute',
      ]);
      expect([refused.code, refused.stderr]).toEqual([
        1,
        "Error: Assignments can only be reset if the group 'live-group' is inactive, but the current state is Stable.\n",
      ]);
    } finally {
      live.signal('SIGINT');
    }
    const ended = await live.result;
    expect([ended.code, ended.stdout, ended.stderr]).toEqual([
      0,
      'order-0\norder-1\norder-2\norder-3\norder-4\n',
      'Processed a total of 5 messages\n',
    ]);
    const after = await groups('--describe', '--group', 'live-group');
    expect(after.stdout).toBe(`\n${HEADER}\n${idleRow('live-group', 'orders', 0, 5, 5)}\n`);
  });

  it('lists groups (not the throwaway console-consumer ones), with states, and deletes them', async () => {
    await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'orders',
      '--from-beginning',
      '--max-messages',
      '1',
    ]);
    await ok('kafka-console-consumer', [
      '--bootstrap-server',
      bs,
      '--topic',
      'orders',
      '--group',
      'short-lived',
      '--from-beginning',
      '--max-messages',
      '1',
    ]);
    const list = await groups('--list');
    expect(list.stdout.split('\n').filter(Boolean).sort()).toEqual(['live-group', 'my-group', 'short-lived']);
    const states = await groups('--list', '--state', 'empty');
    expect(states.stdout.split('\n')[0]).toBe(`${'GROUP'.padEnd(25)} ${'STATE'.padEnd(20)}`);
    expect(states.stdout).toContain(`${'short-lived'.padEnd(25)} ${'Empty'.padEnd(20)}\n`);

    const del = await groups('--delete', '--group', 'short-lived');
    expect(del.stdout).toBe("Deletion of requested consumer groups ('short-lived') was successful.\n");
    const gone = await runCli('kafka-consumer-groups', [
      '--bootstrap-server',
      bs,
      '--describe',
      '--group',
      'short-lived',
    ]);
    expect([gone.code, gone.stderr]).toEqual([1, "Error: Consumer group 'short-lived' does not exist.\n"]);
    expect((await groups('--list')).stdout.split('\n').filter(Boolean).sort()).toEqual([
      'live-group',
      'my-group',
    ]);
  });
});
