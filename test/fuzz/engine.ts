/**
 * The fuzz loop against one broker child: a pool of connections, each sending one case at a time and
 * waiting for its answers (or the broker closing the connection: the expected reaction to garbage, so
 * the worker reconnects), a liveness probe (ApiVersions on a fresh connection and on a witness
 * connection open since the start, within a deadline) every K requests or second, and the broker's
 * RSS. A crash is the child exiting; a hang is a probe missing its deadline even once the fuzz traffic
 * has stopped; a memory finding is RSS over the bound. Each stops the run and comes back with the
 * frames written last, for crash.ts to replay one by one.
 */
import type { BrokerChild } from './broker-child';
import { CaseFactory, type FuzzCase, type ServedApi, type WireFrame } from './cases';
import type { SeedFrame } from './corpus';
import { connect, FuzzConnection, outcomes, type Sent } from './fuzz-connection';
import { decompressionBombs, harvestVocabulary } from './mutate-struct';
import { Rng } from './prng';
import {
  checkApiVersions,
  deleteTopics,
  listTopics,
  probeFresh,
  ProbeConnection,
  servedApis,
  topicsOf,
} from './probe';
import { decodeAnswer } from './responses';
import { newStats, type FuzzStats } from './stats';

export interface EngineOptions {
  broker: BrokerChild;
  seeds: SeedFrame[];
  seed: number;
  /** Stop after this many mutated frames have been written... */
  requests: number;
  /** ...or after this many seconds, whichever comes first. */
  seconds: number;
  connections: number;
  /** A liveness probe after every this many frames (and at least once a second). */
  livenessEvery: number;
  livenessDeadlineMs: number;
  /** Stop waiting for a case's answers after this long without any byte from the broker. */
  quietMs: number;
  /** The broker's RSS above this is a finding. */
  maxRssBytes: number;
  /**
   * Topics the fuzz traffic creates (auto-creation by mutated names, CreateTopics with big counts) are
   * deleted, the way an operator would, once there are more than this many topics or partitions; the
   * corpus's own topics (fz-*) and internal ones stay. Without it the run measures how the broker
   * copes with tens of thousands of topics rather than with hostile frames.
   */
  topicBudget?: { topics: number; partitions: number };
  /** Partitions one CreateTopics/CreatePartitions may ask for (see capPartitions); 0 = no cap. */
  partitionCap?: number;
  /** Called about every progressMs with the running figures. */
  onProgress?: (stats: FuzzStats) => void;
  progressMs?: number;
}

export interface Finding {
  kind: 'crash' | 'hang' | 'memory' | 'witness';
  detail: string;
  /** Frames written last (oldest first), the suspects; wire bytes with their size prefixes. */
  suspects: WireFrame[];
  /** Frames written but not answered when it happened (a subset of suspects, usually small). */
  unanswered: WireFrame[];
  brokerOutput: string;
}

export interface EngineResult {
  stats: FuzzStats;
  finding: Finding | null;
  served: ServedApi[];
}

const RING = 4_096;
const SUSPECTS = 256;
const GC_EVERY_MS = 5_000;

export async function runFuzz(opts: EngineOptions): Promise<EngineResult> {
  const { broker } = opts;
  const rng = new Rng(opts.seed);
  const stats = newStats();
  decompressionBombs();
  const served = await servedApis(broker.host, broker.port);
  const topics = await topicsOf(broker.host, broker.port);
  const vocab = harvestVocabulary(
    opts.seeds.map((s) => s.payload),
    topics,
  );
  let correlationId = 0;
  const factory = new CaseFactory(
    rng,
    opts.seeds,
    vocab,
    served,
    () => (correlationId = (correlationId + 1) | 0),
    opts.partitionCap ?? 0,
  );
  const ring: { frame: WireFrame; at: number }[] = [];
  let lastAnswerAt = Date.now();
  const live = new Set<FuzzConnection>();
  let finding: Finding | null = null;
  let stopping = false;
  const started = Date.now();
  const deadline = started + opts.seconds * 1000;
  const rssAtStart = broker.memory().rss;
  stats.rss.start = rssAtStart;
  stats.rss.peak = rssAtStart;

  const unansweredNow = () => {
    const out: WireFrame[] = [];
    for (const c of live) for (const s of c.sent.values()) if (!s.answered) out.push(s.frame);
    return out;
  };
  const stop = (f: Finding | null) => {
    if (f && !finding) {
      // A hang's culprit was read by the broker before it went quiet, so before its last answer;
      // what was written while it hung is innocent.
      const before = f.kind === 'crash' ? ring : ring.filter((e) => e.at <= lastAnswerAt + 100);
      const suspects = before.slice(-SUSPECTS).map((e) => e.frame);
      const set = new Set(suspects);
      finding = { ...f, suspects, unanswered: unansweredNow().filter((u) => set.has(u)) };
    }
    stopping = true;
    for (const c of live) c.destroy();
  };
  void broker.exited.then((exit) => {
    if (stopping) return;
    stop({
      kind: 'crash',
      detail: `broker exited (${exit.signal ?? `code ${exit.code}`})`,
      suspects: [],
      unanswered: [],
      brokerOutput: broker.output(),
    });
  });

  const onAnswer = (sent: Sent | undefined, frame: Buffer, outOfOrder: boolean, afterLie: boolean) => {
    lastAnswerAt = Date.now();
    if (!sent) {
      if (afterLie) stats.unmatchedAfterLie++;
      else stats.unmatchedAnswers++;
      return;
    }
    if (outOfOrder) stats.outOfOrderAnswers++;
    stats.noteLatency(sent.frame, Date.now() - sent.writtenAt);
    stats.noteSize(sent.frame, frame.length);
    const answer = decodeAnswer(sent.frame, frame, served);
    if (!answer) stats.largeAnswers++;
    else if (answer.malformed) {
      stats.malformedAnswers++;
      if (stats.malformedSamples.length < 5) {
        stats.malformedSamples.push({ request: sent.frame.payload, answer: frame, why: answer.malformed });
      }
    } else stats.errorCodes.set(answer.errorCode, (stats.errorCodes.get(answer.errorCode) ?? 0) + 1);
  };

  /** Set while the liveness check holds the fuzz traffic back; pauseEpoch counts those pauses. */
  let pause: Promise<void> | null = null;
  let pauseEpoch = 0;
  const budgetLeft = () => !stopping && stats.mutatedProcessed < opts.requests && Date.now() < deadline;

  // The first requests of the run: every served API at every version, synthesized, unmutated, plus
  // the corpus replayed as captured (it creates the topics and groups the mutated requests name).
  const warmup: WireFrame[] = [
    ...opts.seeds.map((s) => factory.seal(s.payload, [], s.source)),
    ...factory.everyVersion().map((s) => factory.seal(s.payload, [], s.source)),
  ];

  const worker = async () => {
    let conn: FuzzConnection | null = null;
    while (budgetLeft()) {
      if (pause) await pause;
      if (!conn || conn.closed) {
        const socket = await connect(broker.host, broker.port);
        if (!socket) {
          stats.connectFailures++;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        conn = new FuzzConnection(socket, onAnswer);
        live.add(conn);
        stats.connections++;
      }
      const warm = warmup.shift();
      let c: FuzzCase;
      try {
        c = warm ? { kind: 'warmup', frames: [warm], chunks: [warm.wire], endAfter: false } : factory.next();
      } catch (err) {
        // A bug of the fuzzer's own must not end a long run; it is counted and shown once.
        if (stats.fuzzerErrors++ === 0) console.error('fuzzer error (the case is skipped):', err);
        continue;
      }
      stats.cases++;
      stats.casesByKind.set(c.kind, (stats.casesByKind.get(c.kind) ?? 0) + 1);
      const at = Date.now();
      for (const f of c.frames) {
        ring.push({ frame: f, at });
        if (ring.length > RING) ring.shift();
        stats.frames++;
        stats.bytes += f.wire.length;
      }
      const epoch = pauseEpoch;
      const sent = await conn.write(c);
      let end = await conn.settle(sent, opts.quietMs);
      if (stopping) break;
      // Closed by the liveness check's pause, not by the broker.
      if (epoch !== pauseEpoch && end === 'closed') end = 'quiet';
      outcomes(sent, end).forEach((o, i) => stats.record(sent[i].frame, o));
      conn.forget(sent);
      if (end === 'closed') {
        stats.brokerCloses++;
      } else if (c.endAfter) {
        await conn.waitClosed(opts.quietMs);
        if (conn.closed) stats.brokerCloses++;
        else stats.abandoned++;
      } else if (end === 'quiet') {
        stats.abandoned++;
      }
      if (end !== 'answered' || c.endAfter) {
        conn.destroy();
        live.delete(conn);
        conn = null;
      }
    }
    if (conn) {
      conn.destroy();
      live.delete(conn);
    }
  };

  const witness = await ProbeConnection.connect(broker.host, broker.port, opts.livenessDeadlineMs);
  const liveness = async () => {
    let lastAt = 0;
    let lastFrames = 0;
    let lastProgress = Date.now();
    while (!stopping) {
      await new Promise((r) => setTimeout(r, 25));
      if (opts.onProgress && Date.now() - lastProgress >= (opts.progressMs ?? 5_000)) {
        lastProgress = Date.now();
        stats.elapsedMs = Date.now() - started;
        opts.onProgress(stats);
      }
      const due =
        stats.frames - lastFrames >= opts.livenessEvery || Date.now() - lastAt >= 1_000 || !budgetLeft();
      if (!due) continue;
      lastAt = Date.now();
      lastFrames = stats.frames;
      const final = !budgetLeft();
      const check = await livenessCheck();
      if (stopping) return;
      if (check) {
        stop(check);
        return;
      }
      if (final) return;
    }
  };
  const probeBoth = () =>
    Promise.allSettled([
      probeFresh(broker.host, broker.port, opts.livenessDeadlineMs),
      witness.apiVersions(opts.livenessDeadlineMs).then(checkApiVersions),
    ]);
  /**
   * Under full fuzz load first. A probe that misses the deadline may only be queued behind the work
   * of 48 busy connections (overload, which a single-threaded broker answers with latency), so the
   * fuzz traffic is stopped (its connections closed) and the probe repeated: a hang is a broker
   * that still does not answer within the deadline once nothing else is asking.
   */
  const livenessCheck = async (): Promise<Finding | null> => {
    const t = Date.now();
    let results = await probeBoth();
    if (stopping) return null; // the exit watcher has it
    const ms = Date.now() - t;
    stats.liveness.checks++;
    stats.liveness.maxMs = Math.max(stats.liveness.maxMs, ms);
    if (results.some((r) => r.status === 'rejected') && !witness.closed) {
      let resume = () => {};
      pause = new Promise<void>((r) => (resume = r));
      pauseEpoch++;
      for (const c of live) c.destroy();
      const t2 = Date.now();
      results = await probeBoth();
      resume();
      pause = null;
      if (stopping) return null;
      stats.liveness.overloads++;
      stats.liveness.maxIdleMs = Math.max(stats.liveness.maxIdleMs, Date.now() - t2);
    }
    const mem = broker.memory();
    if (Number.isFinite(mem.rss)) {
      stats.rss.peak = Math.max(stats.rss.peak, mem.rss);
      stats.rss.last = mem.rss;
    }
    const [fresh, old] = results;
    if (fresh.status === 'rejected' || old.status === 'rejected') {
      const why = [fresh, old]
        .map((r, i) =>
          r.status === 'rejected' ? `${i === 0 ? 'fresh' : 'witness'}: ${(r.reason as Error).message}` : '',
        )
        .filter(Boolean)
        .join('; ');
      const kind = fresh.status === 'fulfilled' && witness.closed ? 'witness' : 'hang';
      return {
        kind,
        detail: `liveness probe failed (${why})`,
        suspects: [],
        unanswered: [],
        brokerOutput: broker.output(),
      };
    }
    if (mem.rss > opts.maxRssBytes) {
      return {
        kind: 'memory',
        detail: `broker RSS ${(mem.rss / 2 ** 20).toFixed(0)} MB over the ${(opts.maxRssBytes / 2 ** 20).toFixed(0)} MB bound`,
        suspects: [],
        unanswered: [],
        brokerOutput: broker.output(),
      };
    }
    return null;
  };

  const budget = opts.topicBudget ?? { topics: 300, partitions: 2_000 };
  const admin = await ProbeConnection.connect(broker.host, broker.port, opts.livenessDeadlineMs);
  const gc = async () => {
    while (!stopping && budgetLeft()) {
      await new Promise((r) => setTimeout(r, GC_EVERY_MS));
      if (stopping) return;
      try {
        const topics = await listTopics(admin, 30_000);
        const partitions = topics.reduce((n, t) => n + t.partitions, 0);
        if (topics.length <= budget.topics && partitions <= budget.partitions) continue;
        const doomed = topics.map((t) => t.name).filter((n) => !n.startsWith('fz-') && !n.startsWith('__'));
        stats.gc.runs++;
        stats.gc.topicsDeleted += await deleteTopics(admin, doomed);
      } catch (err) {
        if (stopping) return;
        stats.gc.failures++;
        if (admin.closed) return;
        if (stats.gc.failures === 1) console.error('topic clean-up failed:', (err as Error).message);
      }
    }
  };

  const workers = Array.from({ length: opts.connections }, () => worker());
  const probe = liveness();
  const cleaner = gc();
  await Promise.all(workers);
  await probe;
  stopping = true;
  await cleaner;
  witness.destroy();
  admin.destroy();
  stats.elapsedMs = Date.now() - started;
  stats.partitionsCapped = factory.capped;
  const mem = broker.memory();
  if (Number.isFinite(mem.rss)) stats.rss.last = mem.rss;
  return { stats, finding, served };
}
