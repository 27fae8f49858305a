/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self and total time per function, busiest first,
 * optionally only over a time window (sample times are CLOCK_MONOTONIC microseconds, the clock of
 * process.hrtime, so another process can say when a benchmark step ran). Total time counts a function
 * once per sample even when it recurses.
 *
 * Line numbers of TypeScript files run by tsx refer to its transformed code (whitespace-minified, so
 * nearly everything is on line 2); for those the line where the function's name is declared in the
 * source is shown instead, best effort.
 *
 *   npx tsx bench/cpu-profile.ts <file.cpuprofile> [top=25]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FunctionTime {
  name: string;
  location: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  /** Sampled time, and the part of it the process spent idle (waiting in epoll). */
  wallMs: number;
  idleMs: number;
  functions: FunctionTime[];
}

export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

const ROOT = path.resolve(__dirname, '..');
const sources = new Map<string, string[] | null>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based line declaring `name` in a TypeScript source file, or undefined. */
function declarationLine(file: string, name: string): number | undefined {
  if (!sources.has(file)) sources.set(file, existsSync(file) ? readFileSync(file, 'utf8').split('\n') : null);
  const lines = sources.get(file);
  if (!lines || name === '(anonymous)') return undefined;
  const n = escapeRegExp(name);
  const decl = new RegExp(
    `(function\\*?\\s+${n}\\b|\\b(const|let|var)\\s+${n}\\s*=|^\\s*((static|private|protected|public|override|async|get|set)\\s+)*\\*?${n}\\s*[(<])`,
  );
  const i = lines.findIndex((l) => decl.test(l));
  return i < 0 ? undefined : i + 1;
}

function label(frame: CallFrame): { key: string; name: string; location: string } {
  const name = frame.functionName || '(anonymous)';
  const file = frame.url.replace(/^file:\/\//, '');
  let location = '';
  if (file.startsWith(ROOT + path.sep) && file.endsWith('.ts')) {
    const line = declarationLine(file, name);
    location = path.relative(ROOT, file) + (line ? `:${line}` : '');
  } else if (file) {
    location = `${file.startsWith(ROOT) ? path.relative(ROOT, file) : file}:${frame.lineNumber + 1}`;
  }
  return { key: `${name} ${location}`, name, location };
}

export function summarizeCpuProfile(file: string, window?: TimeWindow): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (window && (t < window.fromUs || t > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });

  const fns = new Map<string, FunctionTime>();
  const entry = (frame: CallFrame) => {
    const l = label(frame);
    let f = fns.get(l.key);
    if (!f) fns.set(l.key, (f = { name: l.name, location: l.location, selfMs: 0, totalMs: 0 }));
    return { f, key: l.key };
  };
  let wallUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    wallUs += us;
    if (node.callFrame.functionName === '(idle)') idleUs += us;
    entry(node.callFrame).f.selfMs += us / 1000;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const { f, key } = entry(byId.get(cur)!.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      f.totalMs += us / 1000;
    }
  }
  return {
    wallMs: wallUs / 1000,
    idleMs: idleUs / 1000,
    functions: [...fns.values()].filter((f) => f.name !== '(root)'),
  };
}

export function formatSummary(s: ProfileSummary, top = 25): string {
  const busy = s.wallMs - s.idleMs;
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const row = (f: FunctionTime) =>
    `  ${f.selfMs.toFixed(0).padStart(7)} ms ${pct(f.selfMs)}  ${f.totalMs.toFixed(0).padStart(7)} ms ${pct(f.totalMs)}  ${f.name}  ${f.location}`;
  const notIdle = s.functions.filter((f) => f.name !== '(idle)');
  const bySelf = [...notIdle].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  const byTotal = [...notIdle]
    .filter((f) => f.location !== '' && !f.location.includes('node_modules/tsx'))
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, top);
  return [
    `sampled ${s.wallMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms, busy ${busy.toFixed(0)} ms (percentages of busy)`,
    `     self          total`,
    'by self time:',
    ...bySelf.map(row),
    'by total time (JavaScript functions):',
    ...byTotal.map(row),
  ].join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/cpu-profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatSummary(summarizeCpuProfile(file), top ? Number(top) : 25));
}
