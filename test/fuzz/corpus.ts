/**
 * The captured corpus on disk: data/fuzz-corpus/<client>.frames (the client's requests as they went
 * over the wire, size prefixes included) and manifest.json. It is generated data (data/ is
 * gitignored) and is captured again whenever it is missing or from an older format.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_BY_KEY } from '../../broker/protocol/generated/index';
import { captureCorpus } from './capture';
import { framed, FrameSplitter, peekHeader } from './frames';

export const ROOT = path.resolve(__dirname, '../..');
export const CORPUS_DIR = path.join(ROOT, 'data', 'fuzz-corpus');
const FORMAT = 1;

export interface SeedFrame {
  /** kafkajs, kcat, python, platformatic, or synth (made from the generated codecs). */
  source: string;
  payload: Buffer;
}

interface Manifest {
  format: number;
  createdAt: string;
  captureMs: number;
  clients: Record<string, string>;
  frames: Record<string, number>;
  apis: Record<string, number>;
}

export interface Corpus {
  seeds: SeedFrame[];
  manifest: Manifest;
  /** True when this call captured it (false: read from disk). */
  captured: boolean;
}

function familyOf(clientId: string): string {
  for (const f of ['kafkajs', 'kcat', 'python', 'platformatic']) if (clientId.startsWith(f)) return f;
  return 'other';
}

export function apiLabel(payload: Buffer): string {
  const h = peekHeader(payload);
  if (!h) return 'short';
  return `${API_BY_KEY[h.apiKey]?.name ?? `key${h.apiKey}`} v${h.version}`;
}

function countApis(seeds: SeedFrame[]): Record<string, number> {
  const apis: Record<string, number> = {};
  for (const s of seeds) {
    const label = apiLabel(s.payload);
    apis[label] = (apis[label] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(apis).sort(([a], [b]) => a.localeCompare(b)));
}

function readCorpus(dir: string): Corpus | null {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return null;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch {
    return null;
  }
  if (manifest.format !== FORMAT) return null;
  const seeds: SeedFrame[] = [];
  for (const family of Object.keys(manifest.frames)) {
    const file = path.join(dir, `${family}.frames`);
    if (!existsSync(file)) return null;
    for (const payload of new FrameSplitter().push(readFileSync(file)))
      seeds.push({ source: family, payload });
  }
  return seeds.length > 0 ? { seeds, manifest, captured: false } : null;
}

/** Reads the corpus, capturing it first when missing (or when `recapture`). */
export async function loadCorpus(
  opts: { dir?: string; recapture?: boolean; log?: (msg: string) => void } = {},
): Promise<Corpus> {
  const dir = opts.dir ?? CORPUS_DIR;
  if (!opts.recapture) {
    const existing = readCorpus(dir);
    if (existing) return existing;
  }
  opts.log?.(`capturing the corpus into ${path.relative(ROOT, dir)} (kafkajs, kcat, confluent-kafka-python)`);
  const result = await captureCorpus(opts.log);
  const byFamily = new Map<string, Buffer[]>();
  for (const f of result.frames) {
    const family = familyOf(f.clientId);
    const list = byFamily.get(family) ?? [];
    list.push(framed(f.payload));
    byFamily.set(family, list);
  }
  // Written beside the old one and swapped in, so a run that reads it meanwhile sees one or the other.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const seeds: SeedFrame[] = result.frames.map((f) => ({ source: familyOf(f.clientId), payload: f.payload }));
  const manifest: Manifest = {
    format: FORMAT,
    createdAt: new Date().toISOString(),
    captureMs: result.ms,
    clients: result.clients,
    frames: Object.fromEntries([...byFamily].map(([family, list]) => [family, list.length])),
    apis: countApis(seeds),
  };
  for (const [family, list] of byFamily)
    writeFileSync(path.join(tmp, `${family}.frames`), Buffer.concat(list));
  writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { seeds, manifest, captured: true };
}
