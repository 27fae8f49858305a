/**
 * The frame every tool runs in: parse the command line, answer --help/--version, run the tool, and
 * turn any failure into one line on stderr with exit code 1 (Kafka's tools exit 1 for every error).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, renderHelp, type ParsedArgs, type ToolSpec } from './args';
import { CliError, oneLine, UsageError } from './errors';
import { err, flushOutput, out } from './output';

export type ToolBody = (args: ParsedArgs) => Promise<number | void>;

/** This package's version; package.json is found walking up (the tools may run from a bundle). */
function version(): string {
  for (let dir = __dirname, i = 0; i < 6; dir = path.dirname(dir), i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string };
      return pkg.version ?? 'unknown';
    } catch {
      // not here; look one level up
    }
  }
  return 'unknown';
}

export async function exit(code: number): Promise<never> {
  process.exitCode = code;
  await flushOutput();
  process.exit(code);
}

/** Runs a tool to completion and exits the process with its status. */
export async function runTool(spec: ToolSpec, argv: readonly string[], body: ToolBody): Promise<never> {
  // `tool ... | head` closes stdout early: that is a normal end, not an error to report.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  // Failures outside the tool's own await chain (a client's background task) still end in one line.
  const fatal = (e: unknown) => {
    err(`Error: ${oneLine(e)}`);
    if (process.env.KAFKA_CLI_DEBUG && e instanceof Error) err(e.stack);
    void exit(1);
  };
  process.on('unhandledRejection', fatal);
  process.on('uncaughtException', fatal);
  let code = 0;
  try {
    if (argv.length === 0 && !spec.positional && !spec.noArgsOk) {
      err(renderHelp(spec));
      return await exit(1);
    }
    const args = parseArgs(spec, argv);
    if (args.has('help')) {
      out(renderHelp(spec));
      return await exit(0);
    }
    if (args.has('version')) {
      out(`${version()} (Kafka-compatible tools; Kafka 4.0 command line)`);
      return await exit(0);
    }
    code = (await body(args)) ?? 0;
  } catch (e) {
    code = 1;
    if (e instanceof UsageError)
      err(`Error: ${e.message.replace(/\.$/, '')}. Run '${spec.name} --help' for usage.`);
    else if (e instanceof CliError && e.plain) err(e.message);
    else err(`Error: ${oneLine(e)}`);
    if (process.env.KAFKA_CLI_DEBUG && e instanceof Error) err(e.stack);
  }
  return exit(code);
}
