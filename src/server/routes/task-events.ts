import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Clock } from '../../clock/index.js';
import type { TaskStore } from '../../tasks/index.js';
import { errorResponses, taskIdParamsSchema } from '../api-schemas.js';
import { openApiRouter } from '../openapi-router.js';
import { taskView } from '../task-view.js';
import { isFinal, nextChange, type TaskChangeSource } from '../wait-for-task.js';
import { visibleTask } from './tasks.js';

export interface TaskEventRoutesOptions {
  store: TaskStore;
  events: TaskChangeSource;
  clock: Clock;
  /** Store reads without an event (another process may be running the task). Default 1000 ms. */
  pollIntervalMs?: number;
  /** A comment line is sent this often so proxies keep an idle stream open. Default 15000 ms. */
  keepAliveMs?: number;
}

const streamTaskEvents = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}/events',
  summary: "Server-sent events of a task's life; resumes after Last-Event-ID and ends with the final task",
  description:
    'Each event has `id` = its sequence number, `event` = queued | processing | progress | attempt | rescheduled | success | failed | cancelled, and JSON `data`. The stream ends with an `event: task` carrying the final task.',
  request: {
    params: taskIdParamsSchema,
    headers: z.object({
      'last-event-id': z
        .string()
        .max(16)
        .regex(/^\d+$/)
        .optional()
        .openapi({ description: 'Resume after this sequence number.' }),
    }),
  },
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...errorResponses(400, 401, 404),
  },
});

/** `GET /v1/tasks/{id}/events`: replay from the store, then follow the event hub with a polling fallback. */
export function taskEventRoutes(options: TaskEventRoutesOptions) {
  const { store, clock } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  return openApiRouter().openapi(streamTaskEvents, async (c) => {
    const { id } = c.req.valid('param');
    await visibleTask(c, store, id);
    let lastSequence = Number(c.req.valid('header')['last-event-id'] ?? 0);
    const signal = c.req.raw.signal;
    return streamSSE(c, async (stream) => {
      let lastWriteMs = clock.nowMs();
      while (!stream.aborted && !signal.aborted) {
        // The task is read before its events: once it reads final, the final event is in the batch.
        const task = await store.get(id);
        const events = await store.eventsAfter(id, lastSequence);
        for (const event of events) {
          await stream.writeSSE({
            id: String(event.sequence),
            event: event.type,
            data: JSON.stringify({ task_id: id, sequence: event.sequence, at_ms: event.atMs, ...event.data }),
          });
          lastSequence = event.sequence;
          lastWriteMs = clock.nowMs();
        }
        if (!task || isFinal(task)) {
          const finalTask = task ?? (await store.get(id));
          if (finalTask) await stream.writeSSE({ event: 'task', data: JSON.stringify(taskView(finalTask)) });
          return;
        }
        if (clock.nowMs() - lastWriteMs >= keepAliveMs) {
          await stream.write(': keep-alive\n\n');
          lastWriteMs = clock.nowMs();
        }
        await nextChange(id, pollIntervalMs, { events: options.events, clock, signal });
      }
    });
  });
}
