/**
 * Findings of the protocol fuzzer (npm run fuzz), each replayed on its own against a broker child
 * process. Fixed ones must stay fixed; open ones are `it.fails` until someone fixes them (then the
 * test fails and wants its `.fails` removed).
 */
import { afterEach, expect, it } from 'vitest';
import type { CreateTopicsResponse } from '../../broker/protocol/generated/create-topics';
import { ErrorCode } from '../../broker/protocol/generated/errors';
import { startBrokerChild, type BrokerChild } from './broker-child';
import { ProbeConnection, listTopics, probeFresh } from './probe';

const CREATE_TOPICS = 19;
let broker: BrokerChild | undefined;
let conn: ProbeConnection | undefined;

afterEach(async () => {
  conn?.destroy();
  await broker?.stop();
  broker = conn = undefined;
});

function createTopic(c: ProbeConnection, name: string, numPartitions: number, timeoutMs = 60_000) {
  return c.request<CreateTopicsResponse>(
    CREATE_TOPICS,
    4,
    {
      topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
      validateOnly: false,
    },
    timeoutMs,
  );
}

it('a CreateTopics that runs out of file descriptors gives them all back: new connections are served', async () => {
  // Found with CreateTopics numPartitions 0x1001 (a bit flip): every partition holds three files open,
  // so past the open-files limit the creation fails, and the rollback, whose metadata save failed
  // with EMFILE too, used to leave the partitions it had opened open for good. Accept() then failed
  // with EMFILE as well: the broker took no new connection ever again.
  broker = await startBrokerChild({ maxOpenFiles: 400 });
  conn = await ProbeConnection.connect(broker.host, broker.port, 5_000);
  const res = await createTopic(conn, 'fd-hog', 300);
  expect(res.topics[0].errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
  await expect(probeFresh(broker.host, broker.port, 5_000)).resolves.toBeGreaterThanOrEqual(0);
  expect((await listTopics(conn)).map((t) => t.name)).not.toContain('fd-hog');
  // And what fits is created as usual.
  expect((await createTopic(conn, 'fits', 20)).topics[0].errorCode).toBe(ErrorCode.NONE);
}, 60_000);
