import { createRoute, z } from '@hono/zod-openapi';
import type { TaskStore } from '../../tasks/index.js';
import type { DependencyHealth } from '../dependency-health.js';
import { openApiRouter } from '../openapi-router.js';

export interface HealthRoutesOptions {
  store: TaskStore;
  /** What answers image calls: Google, the built-in emulator, or a custom provider. */
  target: 'google' | 'emulator' | 'custom';
  version: string;
  /** PostgreSQL, S3…: each one's state is reported, and any one down makes the answer 503. */
  dependencies?: DependencyHealth;
}

const dependencyStatusSchema = z.record(
  z.string(),
  z.object({ ok: z.boolean(), reason: z.string().optional(), sinceMs: z.number() }),
);

const health = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness and readiness: the task store answers (no API key needed)',
  responses: {
    200: {
      description: 'Healthy',
      content: {
        'application/json': {
          schema: z.object({
            status: z.literal('ok'),
            version: z.string(),
            target: z.string(),
            dependencies: dependencyStatusSchema.optional(),
          }),
        },
      },
    },
    503: {
      description: 'The task store does not answer',
      content: {
        'application/json': {
          schema: z.object({
            status: z.literal('unavailable'),
            reason: z.string(),
            dependencies: dependencyStatusSchema.optional(),
          }),
        },
      },
    },
  },
});

/** `GET /healthz`: open to everyone, so load balancers need no key. */
export function healthRoutes(options: HealthRoutesOptions) {
  return openApiRouter().openapi(health, async (c) => {
    await options.dependencies?.refresh();
    const dependencies = options.dependencies ? { dependencies: options.dependencies.report() } : {};
    const down = options.dependencies?.firstDown();
    if (down) {
      return c.json(
        { status: 'unavailable' as const, reason: `${down} does not answer`, ...dependencies },
        503,
      );
    }
    try {
      await options.store.list({ limit: 1 });
    } catch (error) {
      return c.json({ status: 'unavailable' as const, reason: String(error), ...dependencies }, 503);
    }
    return c.json(
      { status: 'ok' as const, version: options.version, target: options.target, ...dependencies },
      200,
    );
  });
}
