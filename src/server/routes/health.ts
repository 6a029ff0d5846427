import { createRoute, z } from '@hono/zod-openapi';
import type { TaskStore } from '../../tasks/index.js';
import { openApiRouter } from '../openapi-router.js';

export interface HealthRoutesOptions {
  store: TaskStore;
  /** What answers image calls: Google, the built-in emulator, or a custom provider. */
  target: 'google' | 'emulator' | 'custom';
  version: string;
}

const health = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness and readiness: the task store answers (no API key needed)',
  responses: {
    200: {
      description: 'Healthy',
      content: {
        'application/json': {
          schema: z.object({ status: z.literal('ok'), version: z.string(), target: z.string() }),
        },
      },
    },
    503: {
      description: 'The task store does not answer',
      content: {
        'application/json': { schema: z.object({ status: z.literal('unavailable'), reason: z.string() }) },
      },
    },
  },
});

/** `GET /healthz`: open to everyone, so load balancers need no key. */
export function healthRoutes(options: HealthRoutesOptions) {
  return openApiRouter().openapi(health, async (c) => {
    try {
      await options.store.list({ limit: 1 });
    } catch (error) {
      return c.json({ status: 'unavailable' as const, reason: String(error) }, 503);
    }
    return c.json({ status: 'ok' as const, version: options.version, target: options.target }, 200);
  });
}
