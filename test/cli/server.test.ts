/**
 * kafka-server-start and kafka-server-stop as a user runs them: a broker from a server.properties file
 * in the foreground and with -daemon, found and stopped by kafka-server-stop (SIGTERM, clean
 * shutdown), data kept across the restart. A private registry directory keeps other brokers out.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, runCli, startCli } from './cli';

let dir: string;
let env: Record<string, string>;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kafka-cli-server-'));
  env = { KAFKA_SERVER_REGISTRY: path.join(dir, 'registry'), LOG_DIR: path.join(dir, 'logs') };
  config = path.join(dir, 'server.properties');
  await writeFile(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      'listeners=PLAINTEXT://127.0.0.1:0',
      'advertised.listeners=PLAINTEXT://127.0.0.1:0',
      `log.dirs=${path.join(dir, 'kafka-logs')}`,
      'offsets.topic.replication.factor=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await runCli('kafka-server-stop', [], { env });
  await rm(dir, { recursive: true, force: true });
});

const LISTENING = /started: listening on 127\.0\.0\.1:(\d+)/;

describe('kafka-server-start / kafka-server-stop', () => {
  it('runs a broker in the foreground until kafka-server-stop', async () => {
    const server = startCli('kafka-server-start', [config], { env, timeoutMs: 60_000 });
    let port = '';
    for (let i = 0; i < 300 && !port; i++) {
      await new Promise((r) => setTimeout(r, 100));
      port = LISTENING.exec(server.stdout())?.[1] ?? '';
    }
    expect(port).not.toBe('');
    const bs = `127.0.0.1:${port}`;
    await ok('kafka-topics', ['--bootstrap-server', bs, '--create', '--topic', 'kept']);

    const stop = await ok('kafka-server-stop', [], { env });
    expect(stop.stdout).toBe(`Stopped kafka server node 1 (pid ${server.pid})\n`);
    const ended = await server.result;
    expect(ended.code).toBe(0);
    expect(ended.stdout).toContain('[KafkaServer id=1] shut down completed\n');

    const none = await runCli('kafka-server-stop', [], { env });
    expect([none.code, none.stderr]).toEqual([1, 'No kafka server to stop\n']);
  });

  it('starts in the background with -daemon, keeps the data, and stops by node id', async () => {
    const started = await ok('kafka-server-start', ['-daemon', config], { env, timeoutMs: 60_000 });
    const outFile = path.join(env.LOG_DIR, 'kafkaServer.out');
    expect(started.stdout).toMatch(
      new RegExp(
        `^Started kafka-server-start in the background \\(pid \\d+\\); output in ${outFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\n$`,
      ),
    );
    const port = [...(await readFile(outFile, 'utf8')).matchAll(new RegExp(LISTENING, 'g'))].pop()?.[1];
    const list = await ok('kafka-topics', ['--bootstrap-server', `127.0.0.1:${port}`, '--list']);
    expect(list.stdout).toContain('kept\n');

    const other = await runCli('kafka-server-stop', ['--node-id', '2'], { env });
    expect([other.code, other.stderr]).toEqual([1, 'No kafka server to stop\n']);
    const stop = await ok('kafka-server-stop', ['--process-role=broker', '--node-id=1'], { env });
    expect(stop.stdout).toMatch(/^Stopped kafka server node 1 \(pid \d+\)\n$/);
  });

  it('fails with one line for a missing file or missing argument', async () => {
    const missing = await runCli('kafka-server-start', [path.join(dir, 'nope.properties')], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^Error: Cannot read broker configuration file .*nope\.properties: ENOENT.*\n$/,
    );
    const usage = await runCli('kafka-server-start', [], { env });
    expect([usage.code, usage.stderr]).toEqual([
      1,
      'USAGE: kafka-server-start [-daemon] server.properties [--override property=value]*\n',
    ]);
  });
});
