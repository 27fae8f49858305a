import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { invalidArgument, ServiceError, toServiceError } from '../errors';
import { withAdmin } from '../kafka';
import type { ConfigEntry } from '../schemas/common';
import type { PatchConfigsBody, PurgeResponse } from '../schemas/topics';
import { sortConfigs, toConfigEntry, topicMetadata, topicWatermarks } from './shared';

export async function describeTopicConfigs(admin: Admin, topic: string): Promise<ConfigEntry[]> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
  });
  return sortConfigs((resources[0]?.configEntries ?? []).map(toConfigEntry));
}

export async function getTopicConfigs(topic: string): Promise<ConfigEntry[]> {
  return withAdmin(async (admin) => {
    await topicMetadata(admin, topic);
    return describeTopicConfigs(admin, topic);
  });
}

/**
 * Sets and removes topic overrides. kafkajs has AlterConfigs but not IncrementalAlterConfigs
 * (KIP-339), and AlterConfigs replaces the whole set of overrides: the new set is the current
 * DYNAMIC_TOPIC_CONFIG entries plus `set` minus `delete`, as kafka-configs.sh did before KIP-339.
 * A concurrent writer's change can be lost between the read and the write.
 */
export async function alterTopicConfigs(topic: string, patch: PatchConfigsBody): Promise<ConfigEntry[]> {
  try {
    return await withAdmin(async (admin) => {
      await topicMetadata(admin, topic);
      const current = await describeTopicConfigs(admin, topic);
      const overrides = new Map<string, string>();
      for (const c of current) {
        if (c.source !== 'DYNAMIC_TOPIC_CONFIG') continue;
        if (c.value === null) {
          // A sensitive override cannot be read back, so rewriting the set would erase it.
          if (patch.set?.[c.name] === undefined && !patch.delete?.includes(c.name)) {
            throw invalidArgument(
              `Cannot keep the sensitive override '${c.name}': set or delete it too`,
              'set',
            );
          }
          continue;
        }
        overrides.set(c.name, c.value);
      }
      for (const name of patch.delete ?? []) overrides.delete(name);
      for (const [name, value] of Object.entries(patch.set ?? {})) overrides.set(name, value);
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [...overrides].map(([name, value]) => ({ name, value })),
          },
        ],
      });
      return describeTopicConfigs(admin, topic);
    });
  } catch (err) {
    const e = toServiceError(err);
    if (e.code !== 'INVALID_CONFIG' && e.code !== 'INVALID_REQUEST') throw e;
    throw new ServiceError(e.code, `Kafka rejected the configs: ${e.message}`, e.status, {
      cause: err,
      field: 'set',
    });
  }
}

/** CreatePartitions to a new total `count` (Kafka never removes partitions). */
export async function addPartitions(topic: string, count: number): Promise<{ partitions: number }> {
  return withAdmin(async (admin) => {
    const meta = await topicMetadata(admin, topic);
    const current = meta.partitions.length;
    if (count <= current) {
      throw new ServiceError(
        'INVALID_PARTITIONS',
        `Topic '${topic}' has ${current} partitions; the new count must be larger (Kafka cannot remove partitions)`,
        400,
        { field: 'count' },
      );
    }
    await admin.createPartitions({ timeout: 10_000, topicPartitions: [{ topic, count }] });
    return { partitions: count };
  });
}

/** DeleteRecords up to each partition's high watermark, leaving the partitions empty. */
export async function purgeTopic(topic: string, partitions?: number[]): Promise<PurgeResponse> {
  return withAdmin(async (admin) => {
    await topicMetadata(admin, topic);
    const before = await topicWatermarks(admin, topic);
    const chosen = partitions ?? [...before.keys()].sort((a, b) => a - b);
    const unknown = chosen.filter((p) => !before.has(p));
    if (unknown.length > 0) {
      throw unknownPartitions(topic, unknown, before.size, 'partitions');
    }
    const targets = chosen.filter((p) => before.get(p)!.high > before.get(p)!.low);
    if (targets.length > 0) {
      await admin.deleteTopicRecords({
        topic,
        partitions: targets.map((p) => ({ partition: p, offset: before.get(p)!.high.toString() })),
      });
    }
    const after = await topicWatermarks(admin, topic);
    return {
      partitions: chosen.map((p) => ({ partition: p, lowWatermark: (after.get(p)?.low ?? 0n).toString() })),
    };
  });
}

/** 404 for partition numbers a topic does not have, naming the request field at fault. */
export function unknownPartitions(
  topic: string,
  partitions: number[],
  count: number,
  field: string,
): ServiceError {
  const message = `Topic '${topic}' has no partition ${partitions.join(', ')} (it has partitions 0 to ${count - 1})`;
  return new ServiceError('UNKNOWN_TOPIC_OR_PARTITION', message, 404, { field });
}
