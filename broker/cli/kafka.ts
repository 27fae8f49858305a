/**
 * kafkajs clients for the tools (the product's Kafka client): silent logging (the tools print their
 * own one-line errors), few quick retries (a tutorial command should fail in seconds, not minutes),
 * and snappy/lz4/zstd registered so any batch a cluster holds can be read.
 */
import { Kafka, logLevel } from 'kafkajs';
import { bootstrapString, type HostPort } from './cluster';
import { registerKafkajsCodecs } from './kafkajs-codecs';

export function kafkaClient(servers: HostPort[], clientId: string): Kafka {
  registerKafkajsCodecs();
  return new Kafka({
    clientId,
    brokers: bootstrapString(servers).split(','),
    logLevel: process.env.KAFKA_CLI_DEBUG ? logLevel.DEBUG : logLevel.NOTHING,
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
}
