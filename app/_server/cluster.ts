import { withAdmin, bootstrapBrokers } from './kafka';
import { toServiceError } from './errors';

export interface BrokerSummary {
  nodeId: number;
  host: string;
  port: number;
}

export interface TopicSummary {
  name: string;
  partitions: number;
}

export interface ClusterOverview {
  clusterId: string;
  controllerId: number | null;
  brokers: BrokerSummary[];
  topics: TopicSummary[];
}

/** The bootstrap list, for telling the operator which cluster the console tried to reach. */
export function clusterAddress(): string {
  return bootstrapBrokers().join(',');
}

/**
 * Brokers and topics as the cluster itself reports them over the Kafka protocol (Metadata), so the
 * overview is the same for the embedded broker and for Apache Kafka. Throws ServiceError.
 */
export async function getClusterOverview(): Promise<ClusterOverview> {
  try {
    return await withAdmin(async (admin) => {
      const cluster = await admin.describeCluster();
      // An empty topic list is sent as null in Metadata, which asks for every topic.
      const { topics } = await admin.fetchTopicMetadata();
      return {
        clusterId: cluster.clusterId,
        // Metadata carries -1 when the cluster has no active controller (e.g. mid-election).
        controllerId: cluster.controller !== null && cluster.controller >= 0 ? cluster.controller : null,
        brokers: cluster.brokers
          .map(({ nodeId, host, port }) => ({ nodeId, host, port }))
          .sort((a, b) => a.nodeId - b.nodeId),
        topics: topics
          .map((t) => ({ name: t.name, partitions: t.partitions.length }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    });
  } catch (err) {
    throw toServiceError(err);
  }
}
