/**
 * AlterConfigs (key 33), v0-v2, the legacy API: each TOPIC resource's overrides are replaced by exactly
 * the given set (keys left out return to the broker default), validated as in Kafka; validateOnly checks
 * without changing anything. Dynamic broker configs are not supported yet, so a BROKER resource with any
 * change is INVALID_REQUEST with a message saying so. Details in admin/alter-configs.ts.
 */
import type { AlterConfigsResponse } from '../protocol/generated/alter-configs';
import { alterConfigs, OpType } from './admin/alter-configs';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 33,
  minVersion: 0,
  maxVersion: 2,
  handle(req, ctx): AlterConfigsResponse {
    const resources = req.resources.map((r) => ({
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      changes: r.configs.map((c) => ({ name: c.name, op: OpType.SET, value: c.value })),
    }));
    const responses = alterConfigs(ctx.broker, resources, { legacy: true, validateOnly: req.validateOnly });
    return { throttleTimeMs: 0, responses };
  },
});
