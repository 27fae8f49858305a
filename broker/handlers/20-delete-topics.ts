/**
 * DeleteTopics (key 20), v0-v6, as Kafka's KRaft controller answers it (ControllerApis.deleteTopics).
 * With delete.topic.enable=false every topic gets TOPIC_DELETION_DISABLED (INVALID_REQUEST before v3,
 * which had no such error). v6 names topics by name or by id (KIP-516): both or neither is
 * INVALID_REQUEST, a name or id given twice is INVALID_REQUEST once, an unknown name is
 * UNKNOWN_TOPIC_OR_PARTITION and an unknown id UNKNOWN_TOPIC_ID. Internal topics may be deleted, as in
 * Kafka (only the kafka-topics tool refuses). The topic leaves the metadata first, then its logs go
 * (LogManager.deleteTopic; file.delete.delay.ms is Kafka's grace for open readers).
 */
import { deleteTopic } from '../controller/topic-lifecycle';
import type { BrokerContext } from '../node-context';
import type { DeletableTopicResult, DeleteTopicsResponse } from '../protocol/generated/delete-topics';
import { ErrorCode } from '../protocol/generated/errors';
import { ZERO_UUID } from '../protocol/reader';
import { NO_ERROR, apiError, duplicates, type ApiError } from './admin/api-error';
import { defineHandler } from './types';

interface Target {
  name: string | null;
  topicId: string;
}

const result = (t: Target, e: ApiError): DeletableTopicResult => ({
  name: t.name,
  topicId: t.topicId,
  errorCode: e.errorCode,
  errorMessage: e.errorMessage,
});

function deleteOne(broker: BrokerContext, t: Target, byId: boolean): DeletableTopicResult {
  const topic = byId ? broker.metadata.topicById(t.topicId) : broker.metadata.topic(t.name!);
  if (!topic)
    return result(t, apiError(byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  const target = { name: topic.name, topicId: topic.topicId };
  try {
    deleteTopic(broker, topic.name);
  } catch (err) {
    // The metadata no longer lists the topic; stray partition dirs are removed at the next start.
    broker.log.error({ err, topic: topic.name }, 'deleting the logs of a deleted topic failed');
  }
  broker.log.info({ topic: topic.name, topicId: topic.topicId }, 'deleted topic');
  return result(target, NO_ERROR);
}

export default defineHandler({
  apiKey: 20,
  minVersion: 0,
  maxVersion: 6,
  handle(req, ctx): DeleteTopicsResponse {
    const { broker, apiVersion: v } = ctx;
    const targets: Target[] =
      v >= 6
        ? (req.topics ?? []).map((t) => ({ name: t.name ?? null, topicId: t.topicId }))
        : (req.topicNames ?? []).map((name) => ({ name, topicId: ZERO_UUID }));
    if (!broker.config.deleteTopicEnable) {
      const code = v < 3 ? ErrorCode.INVALID_REQUEST : ErrorCode.TOPIC_DELETION_DISABLED;
      return {
        throttleTimeMs: 0,
        responses: targets.map((t) => result(t, { errorCode: code, errorMessage: null })),
      };
    }
    const byName = targets.filter((t) => t.name !== null && t.topicId === ZERO_UUID);
    const byId = targets.filter((t) => t.name === null && t.topicId !== ZERO_UUID);
    const dupNames = duplicates(byName.map((t) => t.name));
    const dupIds = duplicates(byId.map((t) => t.topicId));
    const answered = new Set<string>();
    const idOfName = (name: string) => broker.metadata.topic(name)?.topicId;

    const responses: DeletableTopicResult[] = [];
    for (const [i, t] of targets.entries()) {
      // A duplicated name or id is answered once; malformed entries each get their own answer.
      const key = byName.includes(t) ? `name:${t.name}` : byId.includes(t) ? `id:${t.topicId}` : `#${i}`;
      if (answered.has(key)) continue;
      answered.add(key);
      if (t.name === null && t.topicId === ZERO_UUID) {
        responses.push(
          result(t, apiError(ErrorCode.INVALID_REQUEST, 'Neither topic name nor id were specified.')),
        );
      } else if (t.name !== null && t.topicId !== ZERO_UUID) {
        responses.push(
          result(t, apiError(ErrorCode.INVALID_REQUEST, 'You may not specify both topic name and topic id.')),
        );
      } else if (t.name !== null && dupNames.has(t.name)) {
        responses.push(result(t, apiError(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.')));
      } else if (t.name === null && dupIds.has(t.topicId)) {
        responses.push(result(t, apiError(ErrorCode.INVALID_REQUEST, 'Duplicate topic id.')));
      } else if (t.name !== null && byId.some((x) => x.topicId === idOfName(t.name!))) {
        // Kafka answers the name and leaves the id it maps to out of the deletion, unanswered.
        const msg = 'The provided topic name maps to an ID that was already supplied.';
        responses.push(
          result({ name: t.name, topicId: idOfName(t.name)! }, apiError(ErrorCode.INVALID_REQUEST, msg)),
        );
      } else if (t.name === null && byName.some((x) => idOfName(x.name!) === t.topicId)) {
        continue;
      } else {
        responses.push(deleteOne(broker, t, t.name === null));
      }
    }
    return { throttleTimeMs: 0, responses };
  },
});
