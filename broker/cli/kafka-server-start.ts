/**
 * kafka-server-start [-daemon] server.properties [--override property=value]*: runs one broker node
 * (what `npm run broker -- --config <file>` does) until SIGINT/SIGTERM, registered so that
 * kafka-server-stop can find it. -daemon starts it in the background with its output in
 * $LOG_DIR/kafkaServer.out (LOG_DIR defaults to a "logs" directory beside the first log.dirs entry) and
 * returns once the node is listening.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadBrokerConfig, startBroker } from '../index';
import type { ParsedArgs, ToolSpec } from './args';
import { CliError, UsageError } from './errors';
import { out } from './output';
import { runTool } from './run';
import { register, runningServers } from './server-registry';

export const SPEC: ToolSpec = {
  name: 'kafka-server-start',
  summary: 'Starts a Kafka broker node from a server.properties file.',
  positional: 'server.properties [--override property=value]*',
  options: [
    {
      name: 'daemon',
      kind: 'flag',
      describe: 'Run in the background (output goes to $LOG_DIR/kafkaServer.out).',
    },
    {
      name: 'override',
      kind: 'string',
      multiple: true,
      argName: 'property=value',
      describe: 'Optional property that should override values set in server.properties file.',
    },
  ],
};

const USAGE = 'USAGE: kafka-server-start [-daemon] server.properties [--override property=value]*';

function overrides(args: ParsedArgs): Record<string, string> {
  const o: Record<string, string> = {};
  for (const item of args.strs('override')) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--override needs property=value, got "${item}"`);
    o[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return o;
}

async function daemon(configFile: string, args: ParsedArgs, logDirs: string[]): Promise<number> {
  const logDir = process.env.LOG_DIR ?? path.join(path.dirname(path.resolve(logDirs[0])), 'logs');
  mkdirSync(logDir, { recursive: true });
  const outFile = path.join(logDir, 'kafkaServer.out');
  const fd = openSync(outFile, 'a');
  // The launcher that started this process (the tools may run from a bundle elsewhere).
  const launcher = process.argv[1]?.endsWith('kafka-server-start.cjs')
    ? process.argv[1]
    : path.join(__dirname, 'bin', 'kafka-server-start.cjs');
  const argv = [launcher, configFile, ...args.strs('override').flatMap((o) => ['--override', o])];
  const child = spawn(process.execPath, argv, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: process.env,
  });
  closeSync(fd);
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (runningServers().some((s) => s.pid === child.pid)) {
      out(`Started kafka-server-start in the background (pid ${child.pid}); output in ${outFile}`);
      return 0;
    }
    if (exited !== null) {
      const tail = readFileSync(outFile, 'utf8').trim().split('\n').slice(-1)[0] ?? '';
      throw new CliError(`The server exited with code ${exited}: ${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new CliError(`The server did not start within 60 s; see ${outFile}`);
}

async function execute(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1) throw new CliError(USAGE, true);
  const configFile = path.resolve(args.positionals[0]);
  const config = loadBrokerConfig({ file: configFile, overrides: overrides(args) });
  if (args.has('daemon')) return daemon(configFile, args, config.logDirs);

  const broker = await startBroker({ config });
  const unregister = register({
    pid: process.pid,
    nodeId: broker.nodeId,
    processRoles: config.processRoles,
    configFile,
    listeners: `${broker.host}:${broker.port}`,
    startedAt: new Date().toISOString(),
  });
  process.once('exit', unregister);
  out(
    `[KafkaServer id=${broker.nodeId}] started: listening on ${broker.host}:${broker.port} (cluster ${broker.clusterId})`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  out(`[KafkaServer id=${broker.nodeId}] shutting down`);
  try {
    await broker.stop();
  } finally {
    unregister();
  }
  out(`[KafkaServer id=${broker.nodeId}] shut down completed`);
  return 0;
}

export function main(argv: string[]): Promise<never> {
  return runTool(SPEC, argv, execute);
}
