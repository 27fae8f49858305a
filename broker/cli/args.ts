/**
 * Command-line parsing with the rules Kafka's tools get from jopt-simple: `--name value` or
 * `--name=value`, unambiguous prefixes (`--bootstrap` for `--bootstrap-server`), repeatable options,
 * options whose argument is optional (`--compression-codec` alone means gzip), and an error for any
 * option the tool does not know. Removed options (`--zookeeper`) get a message saying what replaced them.
 */
import { UsageError } from './errors';

export type OptionKind = 'flag' | 'string' | 'int' | 'optional';

export interface OptionSpec {
  name: string;
  kind: OptionKind;
  describe: string;
  /** Shown in help as `<String: argName>`. */
  argName?: string;
  /** Value used by `str()` when the option is absent (shown in help). */
  default?: string;
  /** Value used when an 'optional' option is given without an argument. */
  implicit?: string;
  multiple?: boolean;
}

export interface ToolSpec {
  name: string;
  summary: string;
  options: OptionSpec[];
  /** What a positional argument is, e.g. 'server.properties'; absent = positionals are an error. */
  positional?: string;
  /** Runs with no arguments at all (otherwise that prints the help and fails, as Kafka's tools do). */
  noArgsOk?: boolean;
  /** Options that once existed: name -> why it is gone and what to use instead. */
  removed?: Record<string, string>;
}

export const ZOOKEEPER_REMOVED =
  '--zookeeper was removed in Kafka 3.0 (KIP-604); connect to a broker with --bootstrap-server <host:port> instead';

export const HELP_OPTIONS: OptionSpec[] = [
  { name: 'help', kind: 'flag', describe: 'Print usage information.' },
  { name: 'version', kind: 'flag', describe: 'Display Kafka version.' },
];

export class ParsedArgs {
  constructor(
    private readonly spec: ToolSpec,
    private readonly values: Map<string, string[]>,
    readonly positionals: string[],
  ) {}

  has(name: string): boolean {
    return this.values.has(this.known(name));
  }

  str(name: string): string | undefined {
    const v = this.values.get(this.known(name));
    return v ? v[v.length - 1] : this.option(name).default;
  }

  strs(name: string): string[] {
    return this.values.get(this.known(name)) ?? [];
  }

  /** An integer option; `min` gives a clear error for out-of-range values. */
  int(name: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
    const raw = this.str(name);
    if (raw === undefined) return undefined;
    const n = Number(raw.trim());
    if (!/^[-+]?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n))
      throw new UsageError(`Cannot parse argument '${raw}' of option ${name}: it must be an integer`);
    if (n < min) throw new UsageError(`The value of --${name} must be at least ${min}, got ${n}`);
    return n;
  }

  /** Names of the given options that are present. */
  present(...names: string[]): string[] {
    return names.filter((n) => this.has(n));
  }

  private option(name: string): OptionSpec {
    const o = this.spec.options.find((x) => x.name === name) ?? HELP_OPTIONS.find((x) => x.name === name);
    if (!o) throw new Error(`option --${name} is not declared by ${this.spec.name}`);
    return o;
  }

  private known(name: string): string {
    return this.option(name).name;
  }
}

function resolveName(spec: ToolSpec, all: OptionSpec[], given: string): OptionSpec {
  const exact = all.find((o) => o.name === given);
  if (exact) return exact;
  const removed = spec.removed?.[given];
  if (removed) throw new UsageError(`${given} is not a recognized option: ${removed}`);
  const prefixed = all.filter((o) => o.name.startsWith(given));
  if (prefixed.length === 1 && given.length > 0) return prefixed[0];
  if (prefixed.length > 1)
    throw new UsageError(
      `Option '${given}' is ambiguous; possibilities: ${prefixed.map((o) => `'${o.name}'`).join(', ')}`,
    );
  throw new UsageError(`${given} is not a recognized option`);
}

export function parseArgs(spec: ToolSpec, argv: readonly string[]): ParsedArgs {
  const all = [...spec.options, ...HELP_OPTIONS];
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const add = (o: OptionSpec, v: string) => {
    const list = values.get(o.name) ?? [];
    list.push(v);
    values.set(o.name, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!spec.positional)
        throw new UsageError(`Found non-option argument '${arg}', which this tool does not take`);
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const given = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    const o = resolveName(spec, all, given);
    if (o.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`Option ${o.name} does not take an argument`);
      add(o, 'true');
    } else if (inline !== undefined) {
      add(o, inline);
    } else if (o.kind === 'optional') {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        add(o, next);
        i++;
      } else add(o, o.implicit ?? '');
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`Option ${o.name} requires an argument`);
      add(o, next);
      i++;
    }
    if (!o.multiple && (values.get(o.name)?.length ?? 0) > 1 && o.kind !== 'flag') {
      // jopt-simple keeps the last value of a repeated single-valued option; so do we.
      const list = values.get(o.name) ?? [];
      values.set(o.name, [list[list.length - 1]]);
    }
  }
  return new ParsedArgs(spec, values, positionals);
}

const LEFT = 40;
const WIDTH = 80;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** Help in jopt-simple's two-column layout: option (and argument) on the left, description right. */
export function renderHelp(spec: ToolSpec): string {
  const out: string[] = [spec.summary];
  if (spec.positional) out.push(`Usage: ${spec.name} [options] ${spec.positional}`);
  out.push(`${'Option'.padEnd(LEFT)} Description`, `${'------'.padEnd(LEFT)} -----------`);
  const all = [...spec.options, ...HELP_OPTIONS].sort((a, b) => a.name.localeCompare(b.name));
  for (const o of all) {
    let left = `--${o.name}`;
    if (o.kind !== 'flag') {
      const arg = `${o.kind === 'int' ? 'Integer' : 'String'}: ${o.argName ?? o.name}`;
      left += o.kind === 'optional' ? ` [${arg}]` : ` <${arg}>`;
    }
    let describe = o.describe;
    if (o.default !== undefined) describe += ` (default: ${o.default})`;
    const leftLines = wrap(left, LEFT - 1).map((l, i) => (i === 0 ? l : `  ${l}`));
    const rightLines = wrap(describe, WIDTH - LEFT - 1).map((l, i) => (i === 0 ? l : `  ${l}`));
    for (let i = 0; i < Math.max(leftLines.length, rightLines.length); i++)
      out.push(`${(leftLines[i] ?? '').padEnd(LEFT)} ${rightLines[i] ?? ''}`.trimEnd());
  }
  return out.join('\n');
}

/** jopt-simple's CommandLineUtils.checkInvalidArgs: `option` may not appear with any of `others`. */
export function checkInvalid(args: ParsedArgs, option: string, others: string[], hint = ''): void {
  if (!args.has(option)) return;
  for (const o of others)
    if (o !== option && args.has(o))
      throw new UsageError(`Option "[${option}]" can't be used with option "[${o}]"${hint}`);
}

/** CommandLineUtils.checkRequiredArgs. */
export function checkRequired(args: ParsedArgs, ...options: string[]): void {
  for (const o of options) if (!args.has(o)) throw new UsageError(`Missing required argument "[${o}]"`);
}

/** Exactly one of `actions` must be present. */
export function exactlyOne(args: ParsedArgs, actions: string[], message: string): string {
  const present = args.present(...actions);
  if (present.length !== 1) throw new UsageError(message);
  return present[0];
}

/** `key=value` pairs; the value may itself contain '='. */
export function parseKeyValues(items: string[], what: string): { name: string; value: string }[] {
  return items.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`Invalid ${what} '${item}': all configs must be in the format "key=val"`);
    return { name: item.slice(0, eq).trim(), value: item.slice(eq + 1).trim() };
  });
}
