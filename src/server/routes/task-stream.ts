import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { TaskStore } from '../../tasks/index.js';
import { apiKeyIdSchema, errorResponses } from '../api-schemas.js';
import { callerScope, mayAccess } from '../auth/index.js';
import { openApiRouter } from '../openapi-router.js';
import { taskView } from '../task-view.js';

export interface TaskStreamRoutesOptions {
  store: TaskStore;
  /** Hears about every task change in this process. */
  events: { subscribeAll(listener: (taskId: string) => void): () => void };
  /** A comment line is sent this often so proxies keep an idle stream open. Default 15000 ms. */
  keepAliveMs?: number;
}

const streamAllTasks = createRoute({
  method: 'get',
  path: '/v1/task-events',
  summary: "Server-sent events of every change to the caller's tasks (a live task list)",
  description:
    'Each change is one `event: task` whose `data` is the task as `GET /v1/tasks/{id}` answers it. With API keys a key hears only about its own tasks. Changes made by workers in other processes are not heard; poll `GET /v1/tasks` for those.',
  request: {
    query: z.object({
      api_key_id: apiKeyIdSchema.optional().openapi({
        description:
          'Only changes to the tasks of this key, as the same filter of `GET /v1/tasks`: an admin key may name any key; another key naming anything but itself hears nothing.',
      }),
    }),
  },
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...errorResponses(400, 401),
  },
});

/** `GET /v1/task-events`: what a task list needs to stay current without polling. */
export function taskStreamRoutes(options: TaskStreamRoutesOptions) {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  return openApiRouter().openapi(streamAllTasks, (c) => {
    const scope = callerScope(c);
    const requestedKeyId = c.req.valid('query').api_key_id;
    const signal = c.req.raw.signal;
    return streamSSE(c, async (stream) => {
      const changed = new Set<string>();
      let wake: (() => void) | undefined;
      const unsubscribe = options.events.subscribeAll((taskId) => {
        changed.add(taskId);
        wake?.();
      });
      stream.onAbort(() => wake?.());
      try {
        await stream.write(': connected\n\n');
        while (!stream.aborted && !signal.aborted) {
          if (changed.size === 0) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, keepAliveMs);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = undefined;
            if (changed.size === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
            continue;
          }
          const ids = [...changed];
          changed.clear();
          for (const id of ids) {
            const task = await options.store.get(id);
            if (!task || !mayAccess(scope, task.apiKeyId)) continue;
            if (requestedKeyId !== undefined && task.apiKeyId !== requestedKeyId) continue;
            await stream.writeSSE({ event: 'task', data: JSON.stringify(taskView(task)) });
          }
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
