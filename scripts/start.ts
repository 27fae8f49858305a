/**
 * `npm start` / `npm run dev`: the embedded Kafka broker plus the console, as one foreground process.
 * With KAFKA_BROKERS set, the console manages that cluster instead and no broker is started.
 *
 *   tsx scripts/start.ts [--dev] [--rebuild]      PORT (default 3000), KAFKA_BROKERS (host:port,...)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { BrokerHandle } from '../broker/index';
import { buildStaleReason, nextBin, nextEnv } from './lib/next-build';

const root = path.resolve(import.meta.dirname, '..');
const USAGE = 'usage: tsx scripts/start.ts [--dev] [--rebuild]';

let broker: BrokerHandle | undefined;
let child: ChildProcess | undefined;
let stopping = false;

function log(message: string): void {
  console.log(`[start] ${message}`);
}

function fail(message: string): never {
  console.error(`[start] ${message}`);
  process.exit(1);
}

function parseArgs(argv: string[]): { dev: boolean; rebuild: boolean } {
  const known = new Set(['--dev', '--rebuild']);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length > 0) fail(`unknown argument ${unknown.join(' ')}\n${USAGE}`);
  return { dev: argv.includes('--dev'), rebuild: argv.includes('--rebuild') };
}

function runNext(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const proc = spawn(nextBin(root), args, { cwd: root, env, stdio: 'inherit' });
  child = proc;
  return new Promise((resolve) => {
    proc.on('error', (err) => {
      console.error(
        `[start] cannot run ${nextBin(root)}: ${err.message} (is node_modules installed? npm ci)`,
      );
      resolve(127);
    });
    proc.on('exit', (code, signal) => {
      if (child === proc) child = undefined;
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function stopChild(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  // next start closes keep-alive sockets before exiting; past 10 s something is wedged.
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Next first, so no request is in flight against a broker that is going away. */
async function shutdown(code: number): Promise<never> {
  stopping = true;
  await stopChild();
  if (broker) {
    log('stopping the embedded broker');
    await broker.stop().catch((err: unknown) => console.error('[start] broker stop failed:', err));
  }
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    // A second Ctrl-C means "now": do not wait for a graceful stop that seems stuck.
    child?.kill('SIGKILL');
    process.exit(130);
  }
  log(`${signal} received, shutting down`);
  void shutdown(0);
}

async function startEmbeddedBroker(): Promise<string> {
  log('starting the embedded broker (config/server.properties)');
  try {
    const { startBroker } = await import('../broker/index');
    broker = await startBroker({ configFile: path.join(root, 'config', 'server.properties') });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const message = e.message ?? String(err);
    // The broker may wrap the listen error, so the errno code is not always on the outer error.
    const inUse = e.code === 'EADDRINUSE' || message.includes('EADDRINUSE');
    const hint = inUse
      ? '\n  The broker port is taken: stop the process using it (another broker?), or set' +
        ' KAFKA_BROKERS=host:port to run the console against that cluster instead.'
      : '';
    fail(`cannot start the embedded broker: ${message}${hint}`);
  }
  // A wildcard listener is reachable on loopback; kafkajs cannot connect to 0.0.0.0 everywhere.
  const host = broker.host === '0.0.0.0' || broker.host === '::' ? '127.0.0.1' : broker.host;
  const address = `${host}:${broker.port}`;
  log(`broker node ${broker.nodeId} (cluster ${broker.clusterId}) listening on ${address}`);
  return address;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const port = process.env.PORT?.trim() || '3000';
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const external = process.env.KAFKA_BROKERS?.trim();
  const brokers = external || (await startEmbeddedBroker());
  if (external) log(`using the external cluster KAFKA_BROKERS=${external}`);
  const env = nextEnv(brokers);

  if (!opts.dev) {
    const reason = opts.rebuild ? '--rebuild given' : buildStaleReason(root);
    if (reason) {
      log(`building the console: ${reason}`);
      const code = await runNext(['build'], env);
      if (stopping) return;
      if (code !== 0) {
        console.error(`[start] next build failed (exit ${code})`);
        await shutdown(code);
      }
    }
  }

  log(`console on http://localhost:${port}`);
  const code = await runNext([opts.dev ? 'dev' : 'start', '-p', port], env);
  if (stopping) return;
  if (code !== 0) console.error(`[start] next exited with code ${code}`);
  await shutdown(code === 0 ? 0 : code);
}

main().catch((err: unknown) => {
  console.error('[start] unexpected failure:', err);
  void shutdown(1);
});
