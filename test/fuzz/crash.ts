/**
 * What happens after a finding: the suspects (frames written last, unanswered ones first) are saved
 * under data/fuzz-crashes/<time>-<kind>/, then replayed one at a time against a fresh broker (after
 * the corpus, so the topics and groups exist again) until one reproduces it alone: the broker exits
 * (crash), stops answering a fresh ApiVersions within the deadline (hang), or its peak RSS jumps by
 * 150 MB (memory). That frame is saved as culprit.bin and printed as hex. `npm run fuzz -- --replay
 * <dir>` runs the search again over a saved finding.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startBrokerChild, type BrokerChild, type BrokerChildOptions } from './broker-child';
import type { WireFrame } from './cases';
import { ROOT, type SeedFrame } from './corpus';
import type { Finding } from './engine';
import { framed, hexDump, peekHeader } from './frames';
import { probeFresh } from './probe';
import { apiName } from './stats';

export const CRASH_DIR = path.join(ROOT, 'data', 'fuzz-crashes');

export interface SavedFinding {
  dir: string;
  culprit: WireFrame | null;
  /** How the replay went, in one line. */
  replay: string;
}

export interface ReplayContext {
  corpus: SeedFrame[];
  brokerOptions: BrokerChildOptions;
  log: (msg: string) => void;
  /** Give up replaying after this long (the suspects stay saved). */
  maxReplayMs?: number;
}

/** A frame that alone raises the broker's peak RSS by this much is a memory culprit. */
const MEMORY_STEP = 150 * 2 ** 20;

/** Writes bytes on a fresh connection and waits for an answer, a close, or waitMs. */
function send(broker: BrokerChild, wire: Buffer, waitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: broker.host, port: broker.port });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => setTimeout(done, 20));
    socket.on('connect', () => socket.write(wire));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True when the broker answers a fresh ApiVersions within 5 s (so whatever came before is done). */
async function answers(broker: BrokerChild): Promise<boolean> {
  try {
    await probeFresh(broker.host, broker.port, 5_000);
    return true;
  } catch {
    return false;
  }
}

async function reproduces(broker: BrokerChild, frame: WireFrame, kind: Finding['kind']): Promise<boolean> {
  const peakBefore = broker.memory().peakRss;
  await send(broker, frame.wire, 300);
  if (kind === 'crash') {
    await Promise.race([broker.exited, sleep(300)]);
    return broker.exit !== null;
  }
  const alive = await answers(broker);
  if (kind === 'hang') return !alive || broker.exit !== null;
  return broker.memory().peakRss - peakBefore > MEMORY_STEP;
}

function describe(frame: WireFrame): string {
  return `${apiName(frame.apiKey, frame.version)}, ${frame.wire.length} bytes, mutators: ${frame.ops.join(' ') || 'none'}`;
}

/** Replays `candidates` (in order) one per fresh connection until one reproduces `kind` alone. */
export async function findCulprit(
  dir: string,
  kind: Finding['kind'],
  candidates: WireFrame[],
  ctx: ReplayContext,
): Promise<SavedFinding> {
  if (kind === 'witness') return { dir, culprit: null, replay: 'not replayed' };
  let broker: BrokerChild | null = null;
  const giveUpAt = Date.now() + (ctx.maxReplayMs ?? Infinity);
  try {
    for (const [i, frame] of candidates.entries()) {
      if (Date.now() > giveUpAt)
        return { dir, culprit: null, replay: `replay stopped after ${i} suspects (time limit)` };
      if (!broker || broker.exit !== null) {
        await broker?.stop();
        broker = await startBrokerChild(ctx.brokerOptions);
        for (const s of ctx.corpus) await send(broker, framed(s.payload), 200);
        await answers(broker);
      }
      if (await reproduces(broker, frame, kind)) {
        writeFileSync(path.join(dir, 'culprit.bin'), frame.wire);
        writeFileSync(
          path.join(dir, 'culprit.hex.txt'),
          `${describe(frame)}\n${hexDump(frame.wire, 1 << 20)}\n`,
        );
        writeFileSync(path.join(dir, 'culprit-broker-output.txt'), broker.output());
        return { dir, culprit: frame, replay: `reproduced alone by suspect ${i} (${describe(frame)})` };
      }
    }
    return { dir, culprit: null, replay: `none of ${candidates.length} suspects reproduced it alone` };
  } finally {
    await broker?.stop();
    ctx.log(`finding saved in ${path.relative(ROOT, dir)}`);
  }
}

export async function saveFinding(
  finding: Finding,
  ctx: ReplayContext & { seed: number },
): Promise<SavedFinding> {
  const dir = path.join(CRASH_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${finding.kind}`);
  mkdirSync(path.join(dir, 'suspects'), { recursive: true });
  writeFileSync(path.join(dir, 'broker-output.txt'), finding.brokerOutput);
  const unanswered = new Set(finding.unanswered);
  // Newest first, the unanswered ones ahead of the rest: the culprit is usually the last thing sent.
  const ordered = [
    ...[...finding.suspects].reverse().filter((f) => unanswered.has(f)),
    ...[...finding.suspects].reverse().filter((f) => !unanswered.has(f)),
  ];
  ordered.forEach((f, i) =>
    writeFileSync(path.join(dir, 'suspects', `${String(i).padStart(3, '0')}.bin`), f.wire),
  );
  writeFileSync(
    path.join(dir, 'finding.json'),
    JSON.stringify(
      {
        kind: finding.kind,
        detail: finding.detail,
        seed: ctx.seed,
        suspects: ordered.map((f, i) => ({
          file: `suspects/${String(i).padStart(3, '0')}.bin`,
          what: describe(f),
        })),
      },
      null,
      2,
    ) + '\n',
  );
  return findCulprit(dir, finding.kind, ordered, ctx);
}

/** The culprit search again, over the suspects a finding left in `dir`. */
export async function replaySaved(dir: string, ctx: ReplayContext): Promise<SavedFinding> {
  const meta = JSON.parse(readFileSync(path.join(dir, 'finding.json'), 'utf8')) as { kind: Finding['kind'] };
  const suspectsDir = path.join(dir, 'suspects');
  const files = existsSync(suspectsDir)
    ? readdirSync(suspectsDir)
        .filter((f) => f.endsWith('.bin'))
        .sort()
    : [];
  const frames = files.map((f): WireFrame => {
    const wire = readFileSync(path.join(suspectsDir, f));
    const h = peekHeader(wire.subarray(4));
    return {
      payload: wire.subarray(4),
      wire,
      correlationId: h?.correlationId ?? null,
      apiKey: h?.apiKey ?? -1,
      version: h?.version ?? -1,
      expectAnswer: true,
      mutated: true,
      ops: [f],
      source: 'replay',
    };
  });
  return findCulprit(dir, meta.kind, frames, ctx);
}
