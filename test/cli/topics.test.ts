/**
 * The quickstart's topic chapter as a script of real commands against a real broker (port 0):
 * kafka-topics create/list/describe/alter/delete with Kafka's exact output, kafka-configs round trips
 * and kafka-get-offsets. The 3-node parts of the tutorials (replicated topics, leader failover) wait
 * for the cluster work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBroker, type TestBroker } from '../helpers/broker';
import { ok, runCli, topicFacts } from './cli';

const WARNING =
  "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";

let broker: TestBroker;
let bs: string;

beforeAll(async () => {
  // log.segment.bytes as in config/server.properties: a static broker config, so Kafka lists it.
  broker = await withBroker({ 'log.segment.bytes': 1073741824 });
  bs = broker.bootstrap;
});

afterAll(() => broker?.cleanup());

/** The describe lines Kafka 4.0 prints for a single-broker topic. */
async function expectedDescribe(topic: string, partitions: number, configs: string): Promise<string> {
  const { topicId, hasElr } = await topicFacts(broker.port, topic);
  const elr = hasElr ? '' : 'N/A';
  const lines = [
    `Topic: ${topic}\tTopicId: ${topicId}\tPartitionCount: ${partitions}\tReplicationFactor: 1\tConfigs: ${configs}`,
  ];
  for (let p = 0; p < partitions; p++)
    lines.push(
      `\tTopic: ${topic}\tPartition: ${p}\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: ${elr}\tLastKnownElr: ${elr}`,
    );
  return `${lines.join('\n')}\n`;
}

describe('kafka-topics', () => {
  it('creates, lists and describes test_topic and my-replicated-topic as Kafka prints them', async () => {
    const created = await ok('kafka-topics', ['--create', '--topic', 'test_topic', '--bootstrap-server', bs]);
    expect(created.stdout).toBe(`${WARNING}\nCreated topic test_topic.\n`);
    const replicated = await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--create',
      '--replication-factor',
      '1',
      '--partitions',
      '3',
      '--topic',
      'my-replicated-topic',
    ]);
    expect(replicated.stdout).toBe('Created topic my-replicated-topic.\n');

    const list = await ok('kafka-topics', ['--bootstrap-server', bs, '--list', '--exclude-internal']);
    expect(list.stdout).toBe('my-replicated-topic\ntest_topic\n');

    const one = await ok('kafka-topics', ['--describe', '--topic', 'test_topic', '--bootstrap-server', bs]);
    expect(one.stdout).toBe(await expectedDescribe('test_topic', 1, 'segment.bytes=1073741824'));
    const three = await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--describe',
      '--topic',
      'my-replicated-topic',
    ]);
    expect(three.stdout).toBe(await expectedDescribe('my-replicated-topic', 3, 'segment.bytes=1073741824'));

    // --topic is a regular expression; both topics, sorted by name.
    const both = await ok('kafka-topics', ['--bootstrap-server', bs, '--describe', '--topic', '.*topic']);
    expect(both.stdout).toBe(
      (await expectedDescribe('my-replicated-topic', 3, 'segment.bytes=1073741824')) +
        (await expectedDescribe('test_topic', 1, 'segment.bytes=1073741824')),
    );
  });

  it('shows --config overrides in Configs, and only problem partitions with the report flags', async () => {
    await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--create',
      '--topic',
      'small-segments',
      '--partitions',
      '2',
      '--config',
      'segment.bytes=1024',
    ]);
    const d = await ok('kafka-topics', ['--bootstrap-server', bs, '--describe', '--topic', 'small-segments']);
    expect(d.stdout).toBe(await expectedDescribe('small-segments', 2, 'segment.bytes=1024'));

    await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--create',
      '--topic',
      'two-configs',
      '--config',
      'cleanup.policy=compact',
      '--config',
      'retention.ms=60000',
    ]);
    const two = await ok('kafka-topics', ['--bootstrap-server', bs, '--describe', '--topic', 'two-configs']);
    const configs = /Configs: (.*)\n/.exec(two.stdout)?.[1].split(',').sort();
    expect(configs).toEqual(['cleanup.policy=compact', 'retention.ms=60000', 'segment.bytes=1073741824']);

    for (const flag of [
      '--under-replicated-partitions',
      '--unavailable-partitions',
      '--under-min-isr-partitions',
    ]) {
      const r = await ok('kafka-topics', ['--bootstrap-server', bs, '--describe', flag]);
      expect(r.stdout, flag).toBe('');
    }
    const atMin = await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--describe',
      '--topic',
      'small-segments',
      '--at-min-isr-partitions',
    ]);
    expect(atMin.stdout.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('handles --if-not-exists, duplicates, --alter --partitions and --delete like Kafka', async () => {
    await ok('kafka-topics', ['--bootstrap-server', bs, '--create', '--topic', 'grow-me']);
    const again = await runCli('kafka-topics', ['--bootstrap-server', bs, '--create', '--topic', 'grow-me']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("Error while executing topic command : Topic 'grow-me' already exists.\n");
    const quiet = await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--create',
      '--topic',
      'grow-me',
      '--if-not-exists',
    ]);
    expect(quiet.stdout).toBe('');

    await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--alter',
      '--topic',
      'grow-me',
      '--partitions',
      '4',
    ]);
    const grown = await ok('kafka-topics', ['--bootstrap-server', bs, '--describe', '--topic', 'grow-me']);
    expect(grown.stdout).toContain('PartitionCount: 4\t');
    const shrink = await runCli('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--alter',
      '--topic',
      'grow-me',
      '--partitions',
      '2',
    ]);
    expect(shrink.code).toBe(1);
    expect(shrink.stderr).toMatch(/^Error while executing topic command : .*4.*2.*\n$/);

    await ok('kafka-topics', ['--bootstrap-server', bs, '--delete', '--topic', 'grow-me']);
    const gone = await runCli('kafka-topics', ['--bootstrap-server', bs, '--describe', '--topic', 'grow-me']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe("Error: Topic 'grow-me' does not exist as expected\n");
    const ifExists = await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--delete',
      '--topic',
      'grow-me',
      '--if-exists',
    ]);
    expect(ifExists.stdout).toBe('');
  });
});

describe('kafka-configs and kafka-get-offsets', () => {
  it('alters and describes topic configs (add, bracketed list, delete)', async () => {
    await ok('kafka-topics', ['--bootstrap-server', bs, '--create', '--topic', 'configured']);
    const add = await ok('kafka-configs', [
      '--bootstrap-server',
      bs,
      '--alter',
      '--entity-type',
      'topics',
      '--entity-name',
      'configured',
      '--add-config',
      'retention.ms=86400000,cleanup.policy=[compact,delete]',
    ]);
    expect(add.stdout).toBe('Completed updating config for topic configured.\n');
    const d = await ok('kafka-configs', [
      '--bootstrap-server',
      bs,
      '--describe',
      '--entity-type',
      'topics',
      '--entity-name',
      'configured',
    ]);
    const lines = d.stdout.split('\n');
    expect(lines[0]).toBe('Dynamic configs for topic configured are:');
    expect(lines[1]).toMatch(
      /^ {2}cleanup\.policy=compact,delete sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:cleanup\.policy=compact,delete(, .*)?\}$/,
    );
    expect(lines[2]).toMatch(
      /^ {2}retention\.ms=86400000 sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:retention\.ms=86400000(, .*)?\}$/,
    );
    expect(lines.slice(3)).toEqual(['']);

    await ok('kafka-configs', [
      '--bootstrap-server',
      bs,
      '--alter',
      '--topic',
      'configured',
      '--delete-config',
      'cleanup.policy',
    ]);
    const after = await ok('kafka-configs', [
      '--bootstrap-server',
      bs,
      '--describe',
      '--topic',
      'configured',
    ]);
    expect(after.stdout).not.toContain('cleanup.policy');
    expect(after.stdout).toContain('  retention.ms=86400000 ');
    const topics = await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--describe',
      '--topic',
      'configured',
    ]);
    expect(topics.stdout).toMatch(
      /Configs: (retention\.ms=86400000,segment\.bytes=1073741824|segment\.bytes=1073741824,retention\.ms=86400000)\n/,
    );

    const bad = await runCli('kafka-configs', [
      '--bootstrap-server',
      bs,
      '--alter',
      '--topic',
      'configured',
      '--delete-config',
      'nope',
    ]);
    expect([bad.code, bad.stderr]).toEqual([1, 'Error: Invalid config(s): nope\n']);
    const badValue = await runCli('kafka-configs', [
      '--bootstrap-server',
      bs,
      '--alter',
      '--topic',
      'configured',
      '--add-config',
      'retention.ms=abc',
    ]);
    expect(badValue.code).toBe(1);
    expect(badValue.stderr).toMatch(/^Error while executing config command : .*retention\.ms.*\n$/);
    const all = await ok('kafka-configs', [
      '--bootstrap-server',
      bs,
      '--describe',
      '--topic',
      'configured',
      '--all',
    ]);
    expect(all.stdout).toMatch(/^All configs for topic configured are:\n/);
    expect(all.stdout).toMatch(
      /\n {2}segment\.bytes=1073741824 sensitive=false synonyms=\{STATIC_BROKER_CONFIG:log\.segment\.bytes=1073741824/,
    );
  });

  it('describes broker configs', async () => {
    const all = await ok('kafka-configs', [
      '--bootstrap-server',
      bs,
      '--describe',
      '--entity-type',
      'brokers',
      '--entity-name',
      '1',
      '--all',
    ]);
    expect(all.stdout).toMatch(/^All configs for broker 1 are:\n/);
    expect(all.stdout).toContain(
      '  log.segment.bytes=1073741824 sensitive=false synonyms={STATIC_BROKER_CONFIG:log.segment.bytes=1073741824',
    );
    const missing = await ok('kafka-configs', [
      '--bootstrap-server',
      bs,
      '--describe',
      '--entity-type',
      'brokers',
      '--entity-name',
      '42',
    ]);
    expect(missing.stdout).toBe("The broker '42' doesn't exist and doesn't have dynamic config.\n");
  });

  it('prints offsets per partition for --time latest/earliest/timestamp', async () => {
    await ok('kafka-topics', [
      '--bootstrap-server',
      bs,
      '--create',
      '--topic',
      'offsets',
      '--partitions',
      '2',
    ]);
    await ok(
      'kafka-console-producer',
      [
        '--bootstrap-server',
        bs,
        '--topic',
        'offsets',
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=:',
      ],
      {
        input: 'a:1\nb:2\nc:3\nd:4\ne:5\n',
      },
    );
    const latest = await ok('kafka-get-offsets', ['--bootstrap-server', bs, '--topic', 'offsets']);
    const byPartition = latest.stdout.split('\n').filter(Boolean);
    expect(byPartition.map((l) => l.replace(/:\d+$/, ''))).toEqual(['offsets:0', 'offsets:1']);
    expect(byPartition.map((l) => Number(l.split(':')[2])).reduce((a, b) => a + b)).toBe(5);
    const earliest = await ok('kafka-get-offsets', [
      '--bootstrap-server',
      bs,
      '--topic-partitions',
      'offsets:0-2',
      '--time',
      '-2',
    ]);
    expect(earliest.stdout).toBe('offsets:0:0\noffsets:1:0\n');
    const future = await ok('kafka-get-offsets', [
      '--bootstrap-server',
      bs,
      '--topic',
      'offsets',
      '--time',
      String(Date.now() + 3_600_000),
    ]);
    expect(future.stdout).toBe('');
    const none = await runCli('kafka-get-offsets', ['--bootstrap-server', bs, '--topic', 'no-such-topic']);
    expect([none.code, none.stderr]).toEqual([
      1,
      'Error occurred: Could not match any topic-partitions with the specified filters\n',
    ]);
  });
});
