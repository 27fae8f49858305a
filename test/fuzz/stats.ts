/**
 * The figures of a fuzz run and their printed form. A frame's outcome:
 * - answered: a response came back;
 * - no-answer: none was owed (Produce acks=0) or a later frame's answer shows it was processed;
 * - closed: the broker closed the connection after it (the first unanswered frame at the close);
 * - quiet: no answer within the quiet time (a long poll, a JoinGroup waiting for members, or a frame
 *   queued behind one: answers come back in order); the fuzzer closed the connection itself;
 * - dropped: written after the frame that closed the connection, so the broker never read it.
 * Requests processed = everything but dropped.
 */
import { API_BY_KEY } from '../../broker/protocol/generated/index';
import { KAFKA_ERRORS } from '../../broker/protocol/generated/errors';
import type { WireFrame } from './cases';

export type Outcome = 'answered' | 'no-answer' | 'closed' | 'quiet' | 'dropped';

export interface Tally {
  frames: number;
  answered: number;
  closed: number;
  other: number;
}

export interface FuzzStats {
  cases: number;
  frames: number;
  /** Mutated frames the broker read (not dropped after a close): what the run's budget counts. */
  mutatedProcessed: number;
  mutatedDropped: number;
  bytes: number;
  outcomes: Record<Outcome, number>;
  connections: number;
  connectFailures: number;
  brokerCloses: number;
  abandoned: number;
  unmatchedAnswers: number;
  /** Answers to "requests" the broker found in the bytes after a lying size prefix (expected). */
  unmatchedAfterLie: number;
  outOfOrderAnswers: number;
  malformedAnswers: number;
  /** Answers over 1 MB, not decoded. */
  largeAnswers: number;
  /** Cases the fuzzer failed to build (its own bugs; the case is skipped). */
  fuzzerErrors: number;
  malformedSamples: { request: Buffer; answer: Buffer; why: string }[];
  errorCodes: Map<number, number>;
  casesByKind: Map<string, number>;
  byApi: Map<string, Tally>;
  byOp: Map<string, Tally>;
  /**
   * maxMs: the slowest probe under fuzz load. overloads: probes that missed the deadline under load
   * but passed once the traffic stopped; maxIdleMs: the slowest of those second probes.
   */
  liveness: { checks: number; maxMs: number; overloads: number; maxIdleMs: number };
  /** CreateTopics/CreatePartitions frames whose partition counts were capped (EngineOptions.partitionCap). */
  partitionsCapped: number;
  /** The topic clean-up (see EngineOptions.topicBudget). */
  gc: { runs: number; topicsDeleted: number; failures: number };
  rss: { start: number; peak: number; last: number };
  elapsedMs: number;
  /** The frames that took longest from write to answer (queueing behind other connections included). */
  slowest: { ms: number; frame: WireFrame }[];
  /** The largest answers, by bytes. */
  largest: { bytes: number; frame: WireFrame }[];
  record(frame: WireFrame, outcome: Outcome): void;
  noteLatency(frame: WireFrame, ms: number): void;
  noteSize(frame: WireFrame, bytes: number): void;
}

function tally(map: Map<string, Tally>, key: string, outcome: Outcome): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = { frames: 0, answered: 0, closed: 0, other: 0 }));
  t.frames++;
  if (outcome === 'answered') t.answered++;
  else if (outcome === 'closed') t.closed++;
  else t.other++;
}

export function apiName(apiKey: number, version: number): string {
  const spec = API_BY_KEY[apiKey];
  return spec ? `${spec.name} v${version}` : apiKey === -1 ? '(short)' : `key ${apiKey} v${version}`;
}

const TOP = 8;

/** Keeps the TOP entries with the largest key. */
function top<T>(list: T[], entry: T, key: (e: T) => number): void {
  if (list.length >= TOP && key(entry) <= key(list[list.length - 1])) return;
  list.push(entry);
  list.sort((a, b) => key(b) - key(a));
  if (list.length > TOP) list.pop();
}

export function newStats(): FuzzStats {
  const stats: FuzzStats = {
    cases: 0,
    frames: 0,
    mutatedProcessed: 0,
    mutatedDropped: 0,
    bytes: 0,
    outcomes: { answered: 0, 'no-answer': 0, closed: 0, quiet: 0, dropped: 0 },
    connections: 0,
    connectFailures: 0,
    brokerCloses: 0,
    abandoned: 0,
    unmatchedAnswers: 0,
    unmatchedAfterLie: 0,
    outOfOrderAnswers: 0,
    malformedAnswers: 0,
    largeAnswers: 0,
    fuzzerErrors: 0,
    malformedSamples: [],
    errorCodes: new Map(),
    casesByKind: new Map(),
    byApi: new Map(),
    byOp: new Map(),
    liveness: { checks: 0, maxMs: 0, overloads: 0, maxIdleMs: 0 },
    gc: { runs: 0, topicsDeleted: 0, failures: 0 },
    partitionsCapped: 0,
    rss: { start: NaN, peak: NaN, last: NaN },
    elapsedMs: 0,
    slowest: [],
    largest: [],
    record(frame, outcome) {
      stats.outcomes[outcome]++;
      if (frame.mutated) {
        if (outcome === 'dropped') stats.mutatedDropped++;
        else stats.mutatedProcessed++;
      }
      const spec = API_BY_KEY[frame.apiKey];
      tally(stats.byApi, spec ? spec.name : frame.apiKey === -1 ? '(short)' : 'unknown key', outcome);
      for (const op of frame.ops.length > 0 ? new Set(frame.ops) : ['(unmutated)'])
        tally(stats.byOp, op, outcome);
    },
    noteLatency(frame, ms) {
      top(stats.slowest, { ms, frame }, (e) => e.ms);
    },
    noteSize(frame, bytes) {
      top(stats.largest, { bytes, frame }, (e) => e.bytes);
    },
  };
  return stats;
}

export function processed(s: FuzzStats): number {
  return s.frames - s.outcomes.dropped;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export function progressLine(s: FuzzStats): string {
  const secs = s.elapsedMs / 1000;
  return (
    `${secs.toFixed(0)}s: ${s.mutatedProcessed} mutated processed / ${s.frames} frames written ` +
    `(${(processed(s) / secs).toFixed(0)} processed/s), ` +
    `${s.outcomes.answered} answered, ${s.brokerCloses} closes, ${s.liveness.checks} liveness ok ` +
    `(max ${s.liveness.maxMs} ms), RSS ${mb(s.rss.last)} (peak ${mb(s.rss.peak)})`
  );
}

function table(rows: [string, ...(string | number)[]][], header: string[]): string {
  const all = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
    .join('\n');
}

export function report(s: FuzzStats): string {
  const secs = s.elapsedMs / 1000;
  const lines: string[] = [];
  lines.push(
    `duration ${secs.toFixed(1)} s; cases ${s.cases}; frames written ${s.frames}, ${(s.bytes / 2 ** 20).toFixed(1)} MB`,
  );
  lines.push(
    `requests processed by the broker ${processed(s)} (${(processed(s) / secs).toFixed(0)}/s), of which mutated ` +
      `${s.mutatedProcessed} (${(s.mutatedProcessed / secs).toFixed(0)}/s); mutated frames never read ${s.mutatedDropped}`,
  );
  const o = s.outcomes;
  lines.push(
    `outcomes: answered ${o.answered}, no answer owed ${o['no-answer']}, connection closed by the broker ${o.closed}, ` +
      `no answer within the quiet time ${o.quiet}, never read (after a close) ${o.dropped}`,
  );
  lines.push(
    `connections ${s.connections} (closed by the broker ${s.brokerCloses}, abandoned by the fuzzer ${s.abandoned}, ` +
      `connect failures ${s.connectFailures})`,
  );
  lines.push(
    `answers: unmatched correlation id ${s.unmatchedAnswers} (and ${s.unmatchedAfterLie} after a lying size ` +
      `prefix, expected), out of order ${s.outOfOrderAnswers}, ` +
      `malformed ${s.malformedAnswers}, over 1 MB (not decoded) ${s.largeAnswers}; fuzzer errors ${s.fuzzerErrors}`,
  );
  lines.push(
    `liveness checks ${s.liveness.checks} passed, slowest under load ${s.liveness.maxMs} ms; ` +
      `${s.liveness.overloads} missed the deadline under load and passed with the traffic stopped ` +
      `(slowest ${s.liveness.maxIdleMs} ms)`,
  );
  lines.push(
    `topic clean-up: ${s.gc.runs} runs deleted ${s.gc.topicsDeleted} topics the fuzz traffic created` +
      (s.gc.failures > 0 ? ` (${s.gc.failures} failed)` : '') +
      `; partition counts capped in ${s.partitionsCapped} frames`,
  );
  lines.push(`broker RSS: start ${mb(s.rss.start)}, peak ${mb(s.rss.peak)}, end ${mb(s.rss.last)}`);
  lines.push('');
  lines.push('answers by error code:');
  const codes = [...s.errorCodes].sort((a, b) => b[1] - a[1]);
  lines.push(
    table(
      codes.map(([c, n]) => [`${c} ${KAFKA_ERRORS[c]?.name ?? '?'}`, n]),
      ['code', 'answers'],
    ),
  );
  lines.push('');
  lines.push('cases by kind: ' + [...s.casesByKind].map(([k, n]) => `${k} ${n}`).join(', '));
  lines.push('');
  const rows = (m: Map<string, Tally>) =>
    [...m]
      .sort((a, b) => b[1].frames - a[1].frames)
      .map(([k, t]): [string, number, number, number, number] => [
        k,
        t.frames,
        t.answered,
        t.closed,
        t.other,
      ]);
  lines.push(table(rows(s.byApi), ['frames by API (header)', 'frames', 'answered', 'closed', 'other']));
  lines.push('');
  lines.push(table(rows(s.byOp), ['frames by mutator', 'frames', 'answered', 'closed', 'other']));
  lines.push('');
  lines.push('slowest answers (write to answer, queueing included):');
  for (const { ms, frame } of s.slowest) {
    lines.push(
      `  ${ms} ms  ${apiName(frame.apiKey, frame.version)}, ${frame.wire.length} bytes, ${frame.ops.join(' ') || 'unmutated'}`,
    );
  }
  lines.push('largest answers:');
  for (const { bytes, frame } of s.largest) {
    lines.push(
      `  ${(bytes / 2 ** 20).toFixed(1)} MB  ${apiName(frame.apiKey, frame.version)}, ${frame.wire.length} bytes, ${frame.ops.join(' ') || 'unmutated'}`,
    );
  }
  for (const m of s.malformedSamples) {
    lines.push('');
    lines.push(`malformed answer (${m.why}) to ${m.request.subarray(0, 64).toString('hex')}...`);
  }
  return lines.join('\n');
}
