import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { notFound } from '../errors';
import { withAdmin } from '../kafka';
import type { BrokersResponse } from '../schemas/brokers';
import type { ConfigEntry } from '../schemas/common';
import { sortConfigs, toConfigEntry } from './shared';

// kafkajs' describeCluster drops the rack Metadata carries; broker.rack comes back through
// DescribeConfigs instead. A broker that cannot answer leaves every rack unknown rather than failing.
async function racks(admin: Admin, nodeIds: number[]): Promise<Map<number, string | null>> {
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: nodeIds.map((id) => ({
        type: ConfigResourceTypes.BROKER,
        name: String(id),
        configNames: ['broker.rack'],
      })),
    });
    return new Map(
      resources.map((r) => [
        Number(r.resourceName),
        r.configEntries.find((e) => e.configName === 'broker.rack')?.configValue || null,
      ]),
    );
  } catch {
    return new Map();
  }
}

/**
 * Brokers from Metadata with the partitions they replicate and lead. Log sizes need DescribeLogDirs,
 * which kafkajs does not implement, so logSizeBytes is null for now.
 */
export async function listBrokers(): Promise<BrokersResponse> {
  return withAdmin(async (admin) => {
    const [cluster, { topics }] = await Promise.all([admin.describeCluster(), admin.fetchTopicMetadata()]);
    const nodeIds = cluster.brokers.map((b) => b.nodeId);
    const rackOf = await racks(admin, nodeIds);
    const replicas = new Map<number, number>();
    const leaders = new Map<number, number>();
    for (const t of topics) {
      for (const p of t.partitions) {
        for (const r of p.replicas) replicas.set(r, (replicas.get(r) ?? 0) + 1);
        if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
      }
    }
    const brokers = cluster.brokers
      .map((b) => ({
        nodeId: b.nodeId,
        host: b.host,
        port: b.port,
        rack: rackOf.get(b.nodeId) ?? null,
        isController: b.nodeId === cluster.controller,
        partitions: replicas.get(b.nodeId) ?? 0,
        leaders: leaders.get(b.nodeId) ?? 0,
        logSizeBytes: null,
      }))
      .sort((a, b) => a.nodeId - b.nodeId);
    return { brokers };
  });
}

/** Every config of one broker with its source (static file, dynamic, default). */
export async function brokerConfigs(nodeId: number): Promise<ConfigEntry[]> {
  return withAdmin(async (admin) => {
    const { brokers } = await admin.describeCluster();
    if (!brokers.some((b) => b.nodeId === nodeId)) {
      throw notFound('BROKER_NOT_AVAILABLE', `No broker with node id ${nodeId} is in the cluster metadata`);
    }
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(nodeId) }],
    });
    return sortConfigs((resources[0]?.configEntries ?? []).map(toConfigEntry));
  });
}
