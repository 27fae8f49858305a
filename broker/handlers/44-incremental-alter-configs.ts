/**
 * IncrementalAlterConfigs (key 44), v0-v1 (KIP-339): per key SET, DELETE (back to the broker default),
 * APPEND or SUBTRACT (list keys only, e.g. cleanup.policy; starting from the key's default when it has
 * no override). The resulting TOPIC overrides are validated as a whole, then stored and applied to the
 * topic's logs; validateOnly checks without changing anything. Dynamic broker configs and logger levels
 * are not supported yet (INVALID_REQUEST saying so). Details in admin/alter-configs.ts.
 */
import type { IncrementalAlterConfigsResponse } from '../protocol/generated/incremental-alter-configs';
import { alterConfigs } from './admin/alter-configs';
import { defineHandler } from './types';

export default defineHandler({
  apiKey: 44,
  minVersion: 0,
  maxVersion: 1,
  handle(req, ctx): IncrementalAlterConfigsResponse {
    const resources = req.resources.map((r) => ({
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      changes: r.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value })),
    }));
    const responses = alterConfigs(ctx.broker, resources, { legacy: false, validateOnly: req.validateOnly });
    return { throttleTimeMs: 0, responses };
  },
});
