/**
 * `kafka-consumer-groups --describe` in Kafka 4.0's layouts (ConsumerGroupCommand.printOffsets,
 * printMembers, printStates): Java printf columns (%-Ns, minimum widths 15, GROUP/TOPIC/CONSUMER-ID/HOST
 * widened to the longest value), a blank line before each table, '-' for missing values, and the
 * group's state notes ("has no active members", "is rebalancing") on stderr.
 */
import { leaders, listOffsets, listTopics } from './admin';
import type { Cluster } from './cluster';
import { CliError } from './errors';
import { describeGroup, fetchCommitted, type GroupDescription } from './groups-admin';
import { err, left, out, row, widthOf } from './output';

const MISSING = '-';

interface OffsetRow {
  topic: string;
  partition: number;
  offset: bigint | null;
  logEndOffset: bigint | null;
  consumerId: string;
  host: string;
  clientId: string;
}

/** ConsumerGroupCommand.shouldPrintMemberState: notes on stderr; false when nothing more to print. */
function checkState(d: GroupDescription, rows: number): boolean {
  switch (d.state) {
    case 'Dead':
      throw new CliError(`Consumer group '${d.groupId}' does not exist.`);
    case 'Empty':
      err(`\nConsumer group '${d.groupId}' has no active members.`);
      break;
    case 'PreparingRebalance':
    case 'CompletingRebalance':
    case 'Assigning':
    case 'Reconciling':
      err(`\nWarning: Consumer group '${d.groupId}' is rebalancing.`);
      break;
  }
  return rows > 0;
}

async function offsetRows(cluster: Cluster, d: GroupDescription): Promise<OffsetRow[]> {
  const committed = await fetchCommitted(cluster, d.groupId);
  const committedOf = (t: string, p: number) => committed.get(t)?.get(p) ?? null;
  const rows: Omit<OffsetRow, 'logEndOffset'>[] = [];
  const assigned = new Set<string>();
  const members = d.members.filter((m) => m.assignment.length > 0);
  // Members with the most partitions first (stable), each member's partitions by topic, partition.
  members.sort((a, b) => b.assignment.length - a.assignment.length);
  const byTp = (a: { topic: string; partition: number }, b: { topic: string; partition: number }) =>
    a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
  for (const m of members)
    for (const tp of [...m.assignment].sort(byTp)) {
      assigned.add(`${tp.topic}:${tp.partition}`);
      rows.push({
        ...tp,
        offset: committedOf(tp.topic, tp.partition),
        consumerId: m.memberId,
        host: m.clientHost,
        clientId: m.clientId,
      });
    }
  const unassigned = [...committed].flatMap(([topic, parts]) =>
    [...parts.keys()]
      .filter((p) => !assigned.has(`${topic}:${p}`))
      .map((partition) => ({ topic, partition })),
  );
  for (const tp of unassigned.sort(byTp))
    rows.push({
      ...tp,
      offset: committedOf(tp.topic, tp.partition),
      consumerId: MISSING,
      host: MISSING,
      clientId: MISSING,
    });
  const wanted = new Set(rows.map((r) => `${r.topic}:${r.partition}`));
  const ends = await listOffsets(
    cluster,
    leaders(await listTopics(cluster), (t, p) => wanted.has(`${t}:${p}`)),
    -1n,
  );
  return rows.map((r) => {
    const e = ends.get(`${r.topic}:${r.partition}`);
    return { ...r, logEndOffset: e && 'offset' in e ? e.offset : null };
  });
}

export async function describeOffsets(cluster: Cluster, groupId: string): Promise<void> {
  const d = await describeGroup(cluster, groupId);
  const rows = d.state === 'Dead' ? [] : await offsetRows(cluster, d);
  if (!checkState(d, rows.length)) return;
  const widths = [
    widthOf([groupId], 15),
    widthOf(
      rows.map((r) => r.topic),
      15,
    ),
    10,
    15,
    15,
    15,
    widthOf(
      rows.map((r) => r.consumerId),
      15,
    ),
    widthOf(
      rows.map((r) => r.host),
      15,
    ),
    0,
  ];
  out();
  out(
    row(
      [
        'GROUP',
        'TOPIC',
        'PARTITION',
        'CURRENT-OFFSET',
        'LOG-END-OFFSET',
        'LAG',
        'CONSUMER-ID',
        'HOST',
        'CLIENT-ID',
      ],
      widths,
    ),
  );
  for (const r of rows) {
    const lag = r.offset !== null && r.logEndOffset !== null ? String(r.logEndOffset - r.offset) : MISSING;
    out(
      row(
        [
          groupId,
          r.topic,
          r.partition,
          r.offset?.toString() ?? MISSING,
          r.logEndOffset?.toString() ?? MISSING,
          lag,
          r.consumerId,
          r.host,
          r.clientId,
        ],
        widths,
      ),
    );
  }
}

const assignmentString = (a: { topic: string; partition: number }[]) => {
  const byTopic = new Map<string, number[]>();
  for (const tp of a) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  return [...byTopic]
    .map(([t, ps]) => `${t}:${ps.sort((x, y) => x - y).join(',')}`)
    .sort()
    .join(';');
};

export async function describeMembers(cluster: Cluster, groupId: string, verbose: boolean): Promise<void> {
  const d = await describeGroup(cluster, groupId);
  const print = checkState(d, d.members.length);
  const ms = print ? d.members : [];
  const withInstance = ms.some((m) => m.groupInstanceId);
  const current = ms.map((m) => (m.assignment.length ? assignmentString(m.assignment) : MISSING));
  const base = [
    widthOf([groupId], 15),
    widthOf(
      ms.map((m) => m.memberId),
      15,
    ),
    ...(withInstance
      ? [
          widthOf(
            ms.map((m) => m.groupInstanceId ?? ''),
            17,
          ),
        ]
      : []),
    widthOf(
      ms.map((m) => m.clientHost),
      15,
    ),
    widthOf(
      ms.map((m) => m.clientId),
      15,
    ),
    15,
  ];
  const extra = [15, widthOf(current, 20), 15, 20];
  // Kafka's member format ends with "%-15s " (a trailing space); the verbose columns follow it.
  const line = (cells: (string | number)[], verboseCells: string[]) =>
    `${cells.map((c, i) => left(c, base[i])).join(' ')} ` +
    (verbose ? verboseCells.map((c, i) => left(c, extra[i])).join(' ') : '');
  out();
  out(
    line(
      [
        'GROUP',
        'CONSUMER-ID',
        ...(withInstance ? ['GROUP-INSTANCE-ID'] : []),
        'HOST',
        'CLIENT-ID',
        '#PARTITIONS',
      ],
      ['CURRENT-EPOCH', 'CURRENT-ASSIGNMENT', 'TARGET-EPOCH', 'TARGET-ASSIGNMENT'],
    ),
  );
  ms.forEach((m, i) =>
    out(
      line(
        [
          groupId,
          m.memberId,
          ...(withInstance ? [m.groupInstanceId ?? ''] : []),
          m.clientHost,
          m.clientId,
          m.assignment.length,
        ],
        [MISSING, current[i], MISSING, MISSING],
      ),
    ),
  );
}

export async function describeState(cluster: Cluster, groupId: string): Promise<void> {
  const d = await describeGroup(cluster, groupId);
  if (!checkState(d, 1)) return;
  const coordinator = `${d.coordinator.host}:${d.coordinator.port}  (${d.coordinator.nodeId})`;
  const widths = [Math.max(15, groupId.length), Math.max(25, coordinator.length), 20, 20, 0];
  out();
  out(row(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS'], widths));
  out(row([groupId, coordinator, d.protocol || MISSING, d.state, d.members.length], widths));
}
