import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Catalog } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { encodeTaskCursor, InvalidCursorError } from '../../tasks/index.js';
import type { TaskRecord } from '../../tasks/index.js';
import type { TaskStore } from '../../tasks/index.js';
import { ApiError, invalidRequest, notFound } from '../../http/index.js';
import { apiKeyIdSchema, errorResponses, taskIdParamsSchema, taskSchema } from '../api-schemas.js';
import { callerScope, mayAccess, narrowedListOwner } from '../auth/index.js';
import {
  DEFAULT_TASK_PAGE_SIZE,
  MAX_LIST_PAGE_BYTES,
  MAX_MODEL_NAME_LENGTH,
  MAX_TASK_PAGE_SIZE,
} from '../../http/index.js';
import { openApiRouter, type ServerEnv } from '../openapi-router.js';
import { taskHeaders } from '../task-headers.js';
import { taskView, type BatchJobSummary } from '../task-view.js';
import { isFinal } from '../wait-for-task.js';

export interface TaskRoutesOptions {
  store: TaskStore;
  catalog: Catalog;
  clock: Clock;
  /** Told about cancels, so event streams and waits wake at once. */
  events: { notify(taskId: string): void };
  /** Told when a running task is marked for cancel, so its worker aborts the upstream call. */
  onCancelRequested?: (taskId: string) => void;
  /** The batch job of a batch-lane task, shown by `GET /v1/tasks/{id}`. Default: none shown. */
  batchJobOf?: ((batchJobId: string) => BatchJobSummary | undefined) | undefined;
}

const listQuerySchema = z.object({
  status: z.enum(['queued', 'processing', 'success', 'failed', 'cancelled']).optional(),
  model: z
    .string()
    .min(1)
    .max(MAX_MODEL_NAME_LENGTH)
    .optional()
    .openapi({ description: 'As submitted (logical name or model ID).' }),
  api_key_id: apiKeyIdSchema.optional().openapi({
    description:
      'Only the tasks of this key (`key_…`, see `GET /v1/keys`). An admin key may name any key; any other key sees only its own tasks anyway, so naming another key answers an empty list, as if that key had no tasks (never a 403, so a key cannot learn which keys exist).',
  }),
  created_after: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Unix seconds.' }),
  created_before: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Unix seconds.' }),
  cursor: z.string().min(1).max(512).optional().openapi({ description: 'next_cursor of the previous page.' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_TASK_PAGE_SIZE)
    .optional()
    .openapi({
      description: `Default ${DEFAULT_TASK_PAGE_SIZE}, at most ${MAX_TASK_PAGE_SIZE}; a page also stops at ${MAX_LIST_PAGE_BYTES} bytes.`,
    }),
});

const listTasks = createRoute({
  method: 'get',
  path: '/v1/tasks',
  summary: 'Tasks, newest first, filtered and paginated by cursor',
  request: { query: listQuerySchema },
  responses: {
    200: {
      description: 'One page',
      content: {
        'application/json': {
          schema: z.object({
            object: z.literal('list'),
            data: z.array(taskSchema),
            has_more: z.boolean(),
            next_cursor: z.string().nullable(),
          }),
        },
      },
    },
    ...errorResponses(400, 401),
  },
});

const getTask = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}',
  summary: 'One task: status, progress, result, usage, cost, attempts, warnings, error',
  request: { params: taskIdParamsSchema },
  responses: {
    200: { description: 'The task', content: { 'application/json': { schema: taskSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

const cancelTask = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/cancel',
  summary: 'Cancel a task: a queued one at once, a running one as soon as its worker notices',
  request: { params: taskIdParamsSchema },
  responses: {
    200: {
      description: 'The task after the request',
      content: { 'application/json': { schema: taskSchema } },
    },
    ...errorResponses(400, 401, 404, 409),
  },
});

/**
 * Reads a task the caller may see (see `callerScope`): another key's task is a 404 worded like a task
 * that does not exist, so ids cannot be probed.
 */
export async function visibleTask(c: Context<ServerEnv>, store: TaskStore, id: string): Promise<TaskRecord> {
  const task = await store.get(id);
  if (!task || !mayAccess(callerScope(c), task.apiKeyId)) {
    throw notFound(`No task "${id}".`, 'task_not_found');
  }
  return task;
}

/**
 * Task views up to the page's byte budget (at least one, so a listing always moves on); the cursor then
 * continues after the last one included.
 */
function boundedPage(tasks: readonly TaskRecord[], nextCursor: string | undefined) {
  const data: ReturnType<typeof taskView>[] = [];
  let bytes = 0;
  for (const task of tasks) {
    const view = taskView(task);
    bytes += Buffer.byteLength(JSON.stringify(view));
    if (data.length > 0 && bytes > MAX_LIST_PAGE_BYTES) {
      const last = data.length > 0 ? tasks[data.length - 1] : undefined;
      return {
        data,
        nextCursor: last ? encodeTaskCursor({ createdAtMs: last.createdAtMs, id: last.id }) : nextCursor,
      };
    }
    data.push(view);
  }
  return { data, nextCursor };
}

/** `GET /v1/tasks`, `GET /v1/tasks/{id}`, `POST /v1/tasks/{id}/cancel`. */
export function taskRoutes(options: TaskRoutesOptions) {
  const { store, catalog, clock } = options;
  const setHeaders = (c: Context<ServerEnv>, task: TaskRecord) => {
    for (const [name, value] of Object.entries(taskHeaders(task, catalog))) c.header(name, value);
  };
  return openApiRouter()
    .openapi(listTasks, async (c) => {
      const query = c.req.valid('query');
      const owner = narrowedListOwner(callerScope(c), query.api_key_id);
      if (owner === false) {
        return c.json({ object: 'list' as const, data: [], has_more: false, next_cursor: null }, 200);
      }
      const page = await store
        .list({
          ...(query.status ? { status: query.status } : {}),
          ...(query.model ? { model: query.model } : {}),
          ...(owner !== undefined ? { apiKeyId: owner } : {}),
          ...(query.created_after !== undefined ? { createdAfterMs: query.created_after * 1000 } : {}),
          ...(query.created_before !== undefined ? { createdBeforeMs: query.created_before * 1000 } : {}),
          ...(query.cursor ? { cursor: query.cursor } : {}),
          limit: query.limit ?? DEFAULT_TASK_PAGE_SIZE,
        })
        .catch((error: unknown) => {
          if (error instanceof InvalidCursorError) throw invalidRequest(error.message, 'cursor');
          throw error;
        });
      const bounded = boundedPage(page.tasks, page.nextCursor);
      return c.json(
        {
          object: 'list' as const,
          data: bounded.data,
          has_more: bounded.nextCursor !== undefined,
          next_cursor: bounded.nextCursor ?? null,
        },
        200,
      );
    })
    .openapi(getTask, async (c) => {
      const task = await visibleTask(c, store, c.req.valid('param').id);
      setHeaders(c, task);
      const batchJob = task.batchJobId === undefined ? undefined : options.batchJobOf?.(task.batchJobId);
      return c.json(taskView(task, { batchJob }), 200);
    })
    .openapi(cancelTask, async (c) => {
      const { id } = c.req.valid('param');
      const before = await visibleTask(c, store, id);
      if (isFinal(before)) {
        throw new ApiError(
          409,
          'conflict_error',
          'task_already_final',
          `Task "${id}" is already ${before.status}; only queued or processing tasks can be cancelled.`,
        );
      }
      const task = (await store.requestCancel(id, clock.nowMs())) ?? before;
      if (task.cancelRequested) options.onCancelRequested?.(id);
      options.events.notify(id);
      setHeaders(c, task);
      return c.json(taskView(task), 200);
    });
}
