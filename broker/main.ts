/**
 * npm run broker -- --config <server.properties> [--override key=value ...]
 * Runs one broker node in the foreground until SIGINT/SIGTERM (kafka-server-start equivalent).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadBrokerConfig, startBroker } from './index';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      override: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npm run broker -- --config <server.properties> [--override key=value ...]');
    return;
  }
  const overrides: Record<string, string> = {};
  for (const o of values.override ?? []) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--override needs key=value, got "${o}"`);
    overrides[o.slice(0, eq)] = o.slice(eq + 1);
  }
  const file = values.config ?? positionals[0];
  const config = loadBrokerConfig({ file, overrides });
  const broker = await startBroker({ config });
  console.log(
    `broker ${broker.nodeId} listening on ${broker.host}:${broker.port} (cluster ${broker.clusterId})`,
  );
  const stop = () => {
    broker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`${err.name === 'Error' ? 'error' : err.name}: ${err.message}`);
  process.exit(1);
});
