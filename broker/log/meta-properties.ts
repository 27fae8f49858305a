/**
 * meta.properties in every log dir, as Kafka's KRaft storage writes it: node.id, cluster.id, version=1,
 * directory.id. A log dir that belongs to another node or cluster stops start-up instead of being mixed
 * into this one.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProperties } from '../config/properties';
import { newUuid } from '../controller/metadata-image';

export class MetaPropertiesError extends Error {
  override name = 'MetaPropertiesError';
}

export interface MetaProperties {
  nodeId: number;
  clusterId: string;
  directoryId: string;
}

export function readMetaProperties(dir: string): MetaProperties | null {
  const file = join(dir, 'meta.properties');
  if (!existsSync(file)) return null;
  const p = parseProperties(readFileSync(file, 'utf8'));
  const nodeId = Number(p.get('node.id'));
  const clusterId = p.get('cluster.id');
  if (!Number.isInteger(nodeId) || !clusterId)
    throw new MetaPropertiesError(`${file} is missing node.id or cluster.id`);
  return { nodeId, clusterId, directoryId: p.get('directory.id') ?? newUuid() };
}

/**
 * Checks (or initialises) every log dir; returns the cluster id they agree on. `wantedClusterId` (the
 * cluster.id key) wins for fresh dirs; otherwise an existing dir's id is kept, else a new one is made.
 */
export function ensureMetaProperties(
  dirs: readonly string[],
  nodeId: number,
  wantedClusterId: string | null,
): string {
  const existing = dirs.map((d) => ({ dir: d, meta: readMetaProperties(d) }));
  let clusterId = wantedClusterId ?? existing.find((e) => e.meta)?.meta?.clusterId ?? newUuid();
  for (const { dir, meta } of existing) {
    if (!meta) continue;
    if (meta.nodeId !== nodeId)
      throw new MetaPropertiesError(
        `Stored node id ${meta.nodeId} in ${dir} doesn't match node.id ${nodeId}`,
      );
    if (meta.clusterId !== clusterId)
      throw new MetaPropertiesError(
        `Cluster id ${meta.clusterId} in ${dir} doesn't match cluster id ${clusterId}`,
      );
    clusterId = meta.clusterId;
  }
  for (const { dir, meta } of existing) {
    if (meta) continue;
    mkdirSync(dir, { recursive: true });
    const text = [
      `#`,
      `#${new Date().toString()}`,
      `node.id=${nodeId}`,
      `directory.id=${newUuid()}`,
      `version=1`,
      `cluster.id=${clusterId}`,
      '',
    ];
    writeFileSync(join(dir, 'meta.properties'), text.join('\n'));
  }
  return clusterId;
}
