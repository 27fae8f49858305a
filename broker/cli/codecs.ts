/**
 * The generated codecs the tools use, and only those: loading all of broker/protocol/generated costs
 * about a second of start-up under tsx, too much for a command typed at a prompt. Version ranges and
 * the first flexible version (KIP-482) mirror API_BY_KEY; codecs.test.ts checks they stay equal.
 */
import * as apiVersions from '../protocol/generated/api-versions';
import * as createPartitions from '../protocol/generated/create-partitions';
import * as createTopics from '../protocol/generated/create-topics';
import * as deleteGroups from '../protocol/generated/delete-groups';
import * as deleteTopics from '../protocol/generated/delete-topics';
import * as describeConfigs from '../protocol/generated/describe-configs';
import * as describeGroups from '../protocol/generated/describe-groups';
import * as describeTopicPartitions from '../protocol/generated/describe-topic-partitions';
import * as findCoordinator from '../protocol/generated/find-coordinator';
import * as incrementalAlterConfigs from '../protocol/generated/incremental-alter-configs';
import * as listGroups from '../protocol/generated/list-groups';
import * as listOffsets from '../protocol/generated/list-offsets';
import * as metadata from '../protocol/generated/metadata';
import * as offsetCommit from '../protocol/generated/offset-commit';
import * as offsetFetch from '../protocol/generated/offset-fetch';
import type { Reader } from '../protocol/reader';
import type { Writer } from '../protocol/writer';

export interface CliCodec {
  apiKey: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  flexibleMin: number;
  writeRequest(w: Writer, v: number, o: never): void;
  readResponse(r: Reader, v: number): unknown;
}

export const CODECS: readonly CliCodec[] = [
  {
    apiKey: 2,
    name: 'ListOffsets',
    minVersion: 0,
    maxVersion: 10,
    flexibleMin: 6,
    writeRequest: listOffsets.writeListOffsetsRequest,
    readResponse: listOffsets.readListOffsetsResponse,
  },
  {
    apiKey: 3,
    name: 'Metadata',
    minVersion: 0,
    maxVersion: 12,
    flexibleMin: 9,
    writeRequest: metadata.writeMetadataRequest,
    readResponse: metadata.readMetadataResponse,
  },
  {
    apiKey: 8,
    name: 'OffsetCommit',
    minVersion: 0,
    maxVersion: 9,
    flexibleMin: 8,
    writeRequest: offsetCommit.writeOffsetCommitRequest,
    readResponse: offsetCommit.readOffsetCommitResponse,
  },
  {
    apiKey: 9,
    name: 'OffsetFetch',
    minVersion: 0,
    maxVersion: 9,
    flexibleMin: 6,
    writeRequest: offsetFetch.writeOffsetFetchRequest,
    readResponse: offsetFetch.readOffsetFetchResponse,
  },
  {
    apiKey: 10,
    name: 'FindCoordinator',
    minVersion: 0,
    maxVersion: 6,
    flexibleMin: 3,
    writeRequest: findCoordinator.writeFindCoordinatorRequest,
    readResponse: findCoordinator.readFindCoordinatorResponse,
  },
  {
    apiKey: 15,
    name: 'DescribeGroups',
    minVersion: 0,
    maxVersion: 5,
    flexibleMin: 5,
    writeRequest: describeGroups.writeDescribeGroupsRequest,
    readResponse: describeGroups.readDescribeGroupsResponse,
  },
  {
    apiKey: 16,
    name: 'ListGroups',
    minVersion: 0,
    maxVersion: 5,
    flexibleMin: 3,
    writeRequest: listGroups.writeListGroupsRequest,
    readResponse: listGroups.readListGroupsResponse,
  },
  {
    apiKey: 18,
    name: 'ApiVersions',
    minVersion: 0,
    maxVersion: 4,
    flexibleMin: 3,
    writeRequest: apiVersions.writeApiVersionsRequest,
    readResponse: apiVersions.readApiVersionsResponse,
  },
  {
    apiKey: 19,
    name: 'CreateTopics',
    minVersion: 0,
    maxVersion: 7,
    flexibleMin: 5,
    writeRequest: createTopics.writeCreateTopicsRequest,
    readResponse: createTopics.readCreateTopicsResponse,
  },
  {
    apiKey: 20,
    name: 'DeleteTopics',
    minVersion: 0,
    maxVersion: 6,
    flexibleMin: 4,
    writeRequest: deleteTopics.writeDeleteTopicsRequest,
    readResponse: deleteTopics.readDeleteTopicsResponse,
  },
  {
    apiKey: 32,
    name: 'DescribeConfigs',
    minVersion: 0,
    maxVersion: 4,
    flexibleMin: 4,
    writeRequest: describeConfigs.writeDescribeConfigsRequest,
    readResponse: describeConfigs.readDescribeConfigsResponse,
  },
  {
    apiKey: 37,
    name: 'CreatePartitions',
    minVersion: 0,
    maxVersion: 3,
    flexibleMin: 2,
    writeRequest: createPartitions.writeCreatePartitionsRequest,
    readResponse: createPartitions.readCreatePartitionsResponse,
  },
  {
    apiKey: 42,
    name: 'DeleteGroups',
    minVersion: 0,
    maxVersion: 2,
    flexibleMin: 2,
    writeRequest: deleteGroups.writeDeleteGroupsRequest,
    readResponse: deleteGroups.readDeleteGroupsResponse,
  },
  {
    apiKey: 44,
    name: 'IncrementalAlterConfigs',
    minVersion: 0,
    maxVersion: 1,
    flexibleMin: 1,
    writeRequest: incrementalAlterConfigs.writeIncrementalAlterConfigsRequest,
    readResponse: incrementalAlterConfigs.readIncrementalAlterConfigsResponse,
  },
  {
    apiKey: 75,
    name: 'DescribeTopicPartitions',
    minVersion: 0,
    maxVersion: 0,
    flexibleMin: 0,
    writeRequest: describeTopicPartitions.writeDescribeTopicPartitionsRequest,
    readResponse: describeTopicPartitions.readDescribeTopicPartitionsResponse,
  },
] as CliCodec[];

const BY_KEY = new Map(CODECS.map((c) => [c.apiKey, c]));

export function codec(apiKey: number): CliCodec {
  const c = BY_KEY.get(apiKey);
  if (!c) throw new Error(`no codec for API key ${apiKey} in broker/cli/codecs.ts`);
  return c;
}
