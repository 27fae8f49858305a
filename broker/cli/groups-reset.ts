/**
 * `kafka-consumer-groups --reset-offsets` (Kafka's OffsetsUtils/GroupOffsetsResetter): only for an
 * inactive group (Empty, or unknown = Dead); scope --all-topics (the partitions it has offsets for)
 * or --topic t[:p,p]; scenarios --to-earliest, --to-latest, --to-current, --to-offset, --shift-by,
 * --to-datetime, --by-duration, with targets clamped into [earliest, latest] (a WARN on stderr). Prints
 * the NEW-OFFSET table; commits only with --execute (dry run otherwise).
 */
import type { ParsedArgs } from './args';
import { leaders, listOffsets, listTopics, type OffsetQuery, type TopicInfo } from './admin';
import type { Cluster } from './cluster';
import { CliError, describeCode, UsageError } from './errors';
import { commitOffsets, describeGroup, fetchCommitted } from './groups-admin';
import { err, out, row, widthOf } from './output';

export const SCENARIOS = [
  'to-offset',
  'to-datetime',
  'by-duration',
  'to-earliest',
  'to-latest',
  'to-current',
  'shift-by',
];

export interface PlannedOffset {
  topic: string;
  partition: number;
  offset: bigint;
}

/** ISO-8601 date-time; without a zone it is local time (Kafka's Utils.getDateTime). */
export function parseDateTime(text: string): bigint {
  if (!text.includes('T'))
    throw new UsageError(
      `Error parsing timestamp '${text}'. It does not contain a 'T' according to ISO8601 format`,
    );
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UsageError(`Error parsing timestamp '${text}': use the format 'YYYY-MM-DDTHH:mm:SS.sss'`);
  return BigInt(ms);
}

/** java.time.Duration.parse subset: PnDTnHnMn.nS. */
export function parseDuration(text: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim()))
    throw new UsageError(`Error parsing duration '${text}': use the format 'PnDTnHnMnS'`);
  const [, d, h, mi, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(mi ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}

/** "t", "t:0,1" -> partitions; every partition of t when none are given. */
function partitionsToReset(
  args: ParsedArgs,
  topics: TopicInfo[],
  committed: Map<string, Map<number, bigint>>,
) {
  if (args.has('all-topics'))
    return [...committed].flatMap(([topic, parts]) =>
      [...parts.keys()].map((partition) => ({ topic, partition })),
    );
  const out: { topic: string; partition: number }[] = [];
  for (const spec of args.strs('topic')) {
    const colon = spec.indexOf(':');
    const topic = colon >= 0 ? spec.slice(0, colon) : spec;
    const info = topics.find((t) => t.name === topic);
    if (colon >= 0) {
      for (const p of spec.slice(colon + 1).split(',')) {
        if (!/^\s*\d+\s*$/.test(p)) throw new UsageError(`Invalid partition '${p}' in --topic ${spec}`);
        out.push({ topic, partition: Number(p) });
      }
    } else {
      if (!info) throw new CliError(`The topic '${topic}' does not exist`);
      for (const p of info.partitions) out.push({ topic, partition: p.partition });
    }
  }
  return out;
}

export async function planReset(
  cluster: Cluster,
  groupId: string,
  args: ParsedArgs,
): Promise<PlannedOffset[]> {
  const d = await describeGroup(cluster, groupId);
  if (d.state !== 'Empty' && d.state !== 'Dead')
    throw new CliError(
      `Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${d.state}.`,
    );
  const topics = await listTopics(cluster);
  const committed = await fetchCommitted(cluster, groupId);
  const parts = partitionsToReset(args, topics, committed);
  const missing = parts.filter(
    (tp) =>
      !topics.some((t) => t.name === tp.topic && t.partitions.some((p) => p.partition === tp.partition)),
  );
  if (missing.length)
    throw new CliError(
      `The partitions "${missing.map((m) => `${m.topic}-${m.partition}`).join(',')}" does not exist`,
    );
  const queries: OffsetQuery[] = leaders(topics, (t, p) =>
    parts.some((x) => x.topic === t && x.partition === p),
  );
  const noLeader = queries.filter((q) => q.leader < 0);
  if (noLeader.length)
    throw new CliError(
      `The partitions "${noLeader.map((m) => `${m.topic}-${m.partition}`).join(',')}" have no leader`,
    );

  const offsetsAt = async (ts: bigint) => {
    const res = await listOffsets(cluster, queries, ts);
    return (tp: { topic: string; partition: number }) => {
      const r = res.get(`${tp.topic}:${tp.partition}`);
      if (!r || 'errorCode' in r)
        throw new CliError(
          `Error getting offset for ${tp.topic}-${tp.partition}: ${describeCode(r && 'errorCode' in r ? r.errorCode : -1)}`,
        );
      return r.offset;
    };
  };
  const earliest = await offsetsAt(-2n);
  const latest = await offsetsAt(-1n);
  const clamp = (tp: { topic: string; partition: number }, target: bigint) => {
    const lo = earliest(tp);
    const hi = latest(tp);
    const name = `${tp.topic}-${tp.partition}`;
    if (target > hi) {
      err(
        `WARN New offset (${target}) is higher than latest offset for topic partition ${name}. Value will be set to ${hi}`,
      );
      return hi;
    }
    if (target < lo) {
      err(
        `WARN New offset (${target}) is lower than earliest offset for topic partition ${name}. Value will be set to ${lo}`,
      );
      return lo;
    }
    return target;
  };
  const current = (tp: { topic: string; partition: number }) => committed.get(tp.topic)?.get(tp.partition);

  let target: (tp: { topic: string; partition: number }) => bigint;
  if (args.has('to-earliest')) target = earliest;
  else if (args.has('to-latest')) target = latest;
  else if (args.has('to-current')) target = (tp) => current(tp) ?? latest(tp);
  else if (args.has('to-offset')) {
    const raw = args.str('to-offset') ?? '';
    if (!/^-?\d+$/.test(raw)) throw new UsageError(`Invalid --to-offset '${raw}': it must be a number`);
    target = (tp) => clamp(tp, BigInt(raw));
  } else if (args.has('shift-by')) {
    const raw = args.str('shift-by') ?? '';
    if (!/^-?\d+$/.test(raw)) throw new UsageError(`Invalid --shift-by '${raw}': it must be a number`);
    target = (tp) => {
      const c = current(tp);
      if (c === undefined)
        throw new CliError(
          `Cannot shift offset for partition ${tp.topic}-${tp.partition} since there is no current committed offset`,
        );
      return clamp(tp, c + BigInt(raw));
    };
  } else {
    const ts = args.has('to-datetime')
      ? parseDateTime(args.str('to-datetime') ?? '')
      : BigInt(Date.now() - parseDuration(args.str('by-duration') ?? ''));
    const res = await listOffsets(cluster, queries, ts);
    // No record at or after the time: the log end, as Kafka does.
    target = (tp) => {
      const r = res.get(`${tp.topic}:${tp.partition}`);
      return r && 'offset' in r && r.offset >= 0n ? r.offset : latest(tp);
    };
  }
  return parts.map((tp) => ({ ...tp, offset: target(tp) }));
}

export async function executeReset(cluster: Cluster, groupId: string, plan: PlannedOffset[]): Promise<void> {
  if (plan.length) await commitOffsets(cluster, groupId, plan);
}

/** OffsetsUtils.printOffsetsToReset. */
export function printPlan(plans: Map<string, PlannedOffset[]>): void {
  const all = [...plans.values()].flat();
  const widths = [
    widthOf(plans.keys(), 15),
    widthOf(
      all.map((p) => p.topic),
      15,
    ),
    10,
    0,
  ];
  if (plans.size) {
    out();
    out(row(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], widths));
  }
  for (const [groupId, plan] of plans)
    for (const p of [...plan].sort((a, b) =>
      a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
    ))
      out(row([groupId, p.topic, p.partition, p.offset.toString()], widths));
}

export function exportCsv(plans: Map<string, PlannedOffset[]>): void {
  const single = plans.size === 1;
  for (const [groupId, plan] of plans)
    for (const p of plan)
      out(
        single ? `${p.topic},${p.partition},${p.offset}` : `${groupId},${p.topic},${p.partition},${p.offset}`,
      );
}
