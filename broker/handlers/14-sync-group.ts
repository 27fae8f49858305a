/**
 * SyncGroup (key 14), v0-v5. Followers wait for the leader's assignment; the leader's request settles
 * the generation (persisted to __consumer_offsets) and answers everyone. v5 checks protocol type/name.
 */
import { groupError } from './group-access';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 14,
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx) {
    const err = groupError(ctx.broker, req.groupId);
    if (err !== null) return { errorCode: err, assignment: Buffer.alloc(0) };
    return ctx.broker.groups.membership.sync(req);
  },
});
