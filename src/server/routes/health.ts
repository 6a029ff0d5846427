import { createRoute, z } from '@hono/zod-openapi';
import type { TaskStore } from '../../tasks/index.js';
import type { DependencyHealth } from '../dependency-health.js';
import { openApiRouter } from '../openapi-router.js';
import { retryAfterHeader } from '../../http/index.js';
import {
  isStorageFault,
  STORAGE_RETRY_AFTER_MS,
  storageFaultReason,
  type StorageHealth,
} from '../storage-health.js';

export interface HealthRoutesOptions {
  store: TaskStore;
  /** What answers image calls: Google, the built-in emulator, or a custom provider. */
  target: 'google' | 'emulator' | 'custom';
  version: string;
  /** Storage faults seen by requests lately. Default: none tracked. */
  storage?: StorageHealth;
  /**
   * Writes something small where tasks and images are kept, so a full or read-only disk shows here
   * and not only when a client's submit fails. Default: only a store read.
   */
  probeWrite?: () => Promise<void>;
  /** PostgreSQL, S3, Redis: each one's state is reported, and any one down makes the answer 503. */
  dependencies?: DependencyHealth;
}

const dependencyStatusSchema = z.record(
  z.string(),
  z.object({ ok: z.boolean(), reason: z.string().optional(), sinceMs: z.number() }),
);
const healthy = z.object({
  status: z.literal('ok'),
  version: z.string(),
  target: z.string(),
  dependencies: dependencyStatusSchema.optional(),
});
const degraded = z.object({
  status: z.literal('degraded'),
  reason: z.string().openapi({ example: 'disk full (SQLITE_FULL)' }),
  version: z.string(),
  target: z.string(),
  dependencies: dependencyStatusSchema.optional(),
});

const health = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness and readiness: the task store reads and takes writes (no API key needed)',
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: healthy } } },
    503: {
      description:
        'Degraded: storage does not read or take writes, or a dependency (PostgreSQL, S3, Redis) does not answer; the reason says which; see Retry-After',
      content: { 'application/json': { schema: degraded } },
    },
  },
});

/** `GET /healthz`: open to everyone, so load balancers need no key. */
export function healthRoutes(options: HealthRoutesOptions) {
  return openApiRouter().openapi(health, async (c) => {
    const about = { version: options.version, target: options.target };
    await options.dependencies?.refresh();
    const dependencies = options.dependencies ? { dependencies: options.dependencies.report() } : {};
    const down = options.dependencies?.firstDown();
    let reason: string | undefined = down ? `${down} does not answer` : undefined;
    if (reason === undefined) {
      try {
        await options.store.list({ limit: 1 });
        await options.probeWrite?.();
        options.storage?.recovered();
        reason = options.storage?.degradedReason();
      } catch (error) {
        if (isStorageFault(error)) options.storage?.recordFault(error);
        // Only the fault's kind: a raw error could carry a path or a query.
        reason = isStorageFault(error) ? storageFaultReason(error) : 'the task store does not answer';
      }
    }
    if (reason !== undefined) {
      for (const [name, value] of Object.entries(retryAfterHeader(STORAGE_RETRY_AFTER_MS))) {
        c.header(name, value);
      }
      return c.json({ status: 'degraded' as const, reason, ...about, ...dependencies }, 503);
    }
    return c.json({ status: 'ok' as const, ...about, ...dependencies }, 200);
  });
}
