/**
 * kafka-server-stop [--process-role=broker|controller] [--node-id=N]: sends SIGTERM to the servers
 * kafka-server-start runs (found through its registry), optionally only those with a role or node id
 * (as Kafka 3.7's script does), then waits for them to finish their clean shutdown.
 */
import type { ParsedArgs, ToolSpec } from './args';
import { CliError, UsageError } from './errors';
import { out } from './output';
import { runTool } from './run';
import { isAlive, runningServers } from './server-registry';

export const SPEC: ToolSpec = {
  name: 'kafka-server-stop',
  summary: 'Stops the Kafka servers started with kafka-server-start.',
  noArgsOk: true,
  options: [
    {
      name: 'process-role',
      kind: 'string',
      argName: 'broker|controller',
      describe: 'Only stop servers with this process role.',
    },
    { name: 'node-id', kind: 'int', describe: 'Only stop the server with this node id.' },
    {
      name: 'timeout-ms',
      kind: 'int',
      default: '30000',
      describe: 'How long to wait for the servers to exit.',
    },
  ],
};

async function execute(args: ParsedArgs): Promise<number> {
  const role = args.str('process-role');
  if (role !== undefined && role !== 'broker' && role !== 'controller')
    throw new UsageError(`--process-role must be broker or controller, got '${role}'`);
  const nodeId = args.int('node-id');
  const targets = runningServers().filter(
    (s) =>
      (role === undefined || s.processRoles.includes(role)) && (nodeId === undefined || s.nodeId === nodeId),
  );
  if (targets.length === 0) throw new CliError('No kafka server to stop', true);
  for (const s of targets) {
    try {
      process.kill(s.pid, 'SIGTERM');
    } catch {
      // Exited between the listing and the signal.
    }
  }
  const deadline = Date.now() + (args.int('timeout-ms', 0) ?? 30_000);
  while (targets.some((s) => isAlive(s.pid)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  const left = targets.filter((s) => isAlive(s.pid));
  if (left.length)
    throw new CliError(`Server(s) still running after SIGTERM: pid ${left.map((s) => s.pid).join(', ')}`);
  for (const s of targets) out(`Stopped kafka server node ${s.nodeId} (pid ${s.pid})`);
  return 0;
}

export function main(argv: string[]): Promise<never> {
  return runTool(SPEC, argv, execute);
}
