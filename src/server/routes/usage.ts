import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { findModel, lifecycleOn, type Catalog } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import type { ImagegateConfig } from '../../config/index.js';
import { finalStatuses, type TaskStatus } from '../../tasks/index.js';
import type { TaskStore } from '../../tasks/index.js';
import { aggregateCosts, monthToDateSpendUsd, startOfUtcMonthMs } from '../../tools/cost/index.js';
import type { ApiKeyDirectory } from '../auth/index.js';
import { errorResponses } from '../api-schemas.js';
import { collectTasks } from '../collect-tasks.js';
import { openApiRouter, type ServerEnv } from '../openapi-router.js';

export interface UsageRoutesOptions {
  store: TaskStore;
  catalog: Catalog;
  config: ImagegateConfig;
  clock: Clock;
  keys?: ApiKeyDirectory;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const statuses: TaskStatus[] = ['queued', 'processing', 'success', 'failed', 'cancelled'];

const budgetSchema = z.object({
  budget_usd: z.number().nullable(),
  spent_usd: z.number(),
  left_usd: z.number().nullable(),
});

const overviewSchema = z
  .object({
    object: z.literal('usage.overview'),
    at: z.number().openapi({ description: 'Unix seconds on the server clock.' }),
    tasks_by_status: z.record(z.string(), z.number()),
    last_hour: z.object({
      finished: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      error_rate: z
        .number()
        .nullable()
        .openapi({ description: 'failed / finished; null when none finished.' }),
      per_minute: z.number(),
    }),
    month: z.object({ from: z.string(), key: budgetSchema, server: budgetSchema }),
    models_in_use: z.array(
      z.object({
        model: z.string(),
        platform: z.string(),
        tasks: z.number(),
        stage: z.string().nullable(),
        shutdown_date: z.string().nullable(),
        days_to_shutdown: z.number().nullable(),
      }),
    ),
    recent_failures: z.array(
      z.object({
        id: z.string(),
        model: z.string(),
        finished_at: z.number().nullable(),
        error: z.object({ type: z.string(), code: z.string(), message: z.string() }).nullable(),
      }),
    ),
  })
  .openapi('UsageOverview');

const costGroupSchema = z.object({
  key: z.string(),
  tasks: z.number(),
  images: z.number(),
  estimated_usd: z.number(),
  actual_usd: z.number(),
});

const costSchema = z
  .object({
    object: z.literal('usage.cost'),
    from: z.string(),
    to: z.string(),
    by_day: z.array(costGroupSchema),
    by_model: z.array(costGroupSchema),
    by_logical_name: z.array(costGroupSchema),
    by_key: z.array(costGroupSchema.extend({ name: z.string().nullable() })),
    total_usd: z.number().openapi({ description: 'Actual spend over the window.' }),
    month: z.object({ from: z.string(), key: budgetSchema, server: budgetSchema }),
  })
  .openapi('UsageCost');

const getOverview = createRoute({
  method: 'get',
  path: '/v1/usage/overview',
  summary:
    "The caller's tasks at a glance: by status, the last hour, spend this month against budgets, models in use",
  responses: {
    200: { description: 'The overview', content: { 'application/json': { schema: overviewSchema } } },
    ...errorResponses(401),
  },
});

const getCost = createRoute({
  method: 'get',
  path: '/v1/usage/cost',
  summary: "The caller's spend per day, served model, logical name and key over the last days, and budgets",
  request: {
    query: z.object({
      days: z.coerce.number().int().min(1).max(366).optional().openapi({ description: 'Default 30.' }),
    }),
  },
  responses: {
    200: { description: 'Spend', content: { 'application/json': { schema: costSchema } } },
    ...errorResponses(400, 401),
  },
});

/**
 * `GET /v1/usage/overview` and `/v1/usage/cost`. A key sees its own tasks; an admin key and a keyless
 * caller (when keys are optional) see the whole server's.
 */
export function usageRoutes(options: UsageRoutesOptions) {
  const { store, catalog, config, clock } = options;
  const scope = (c: Context<ServerEnv>) => {
    const key = c.get('apiKey');
    return key && !key.admin ? { apiKeyId: key.id } : {};
  };
  const monthBudgets = async (c: Context<ServerEnv>, nowMs: number) => {
    const key = c.get('apiKey');
    const from = startOfUtcMonthMs(nowMs);
    const keySpent = key
      ? monthToDateSpendUsd(await collectTasks(store, { apiKeyId: key.id, createdAfterMs: from - 1 }), nowMs)
      : 0;
    const serverSpent = monthToDateSpendUsd(await collectTasks(store, { createdAfterMs: from - 1 }), nowMs);
    const budget = (budgetUsd: number | undefined, spentUsd: number) => ({
      budget_usd: budgetUsd ?? null,
      spent_usd: spentUsd,
      left_usd: budgetUsd === undefined ? null : Math.max(0, budgetUsd - spentUsd),
    });
    return {
      from: new Date(from).toISOString().slice(0, 10),
      key: budget(key?.monthlyBudgetUsd, keySpent),
      server: budget(config.server.monthlyBudgetUsd, serverSpent),
    };
  };

  return openApiRouter()
    .openapi(getOverview, async (c) => {
      const nowMs = clock.nowMs();
      const filter = scope(c);
      const byStatus: Record<string, number> = {};
      for (const status of statuses) {
        byStatus[status] = (await collectTasks(store, { ...filter, status })).length;
      }
      const lastDay = await collectTasks(store, { ...filter, createdAfterMs: nowMs - DAY_MS });
      const finishedLastHour = lastDay.filter(
        (task) => finalStatuses.includes(task.status) && (task.finishedAtMs ?? 0) >= nowMs - HOUR_MS,
      );
      const succeeded = finishedLastHour.filter((task) => task.status === 'success').length;
      const failed = finishedLastHour.filter((task) => task.status === 'failed').length;
      const inUse = new Map<string, { model: string; platform: string; tasks: number }>();
      for (const task of lastDay) {
        if (!task.servedBy) continue;
        const id = `${task.servedBy.modelId}|${task.servedBy.platform}`;
        const entry = inUse.get(id) ?? {
          model: task.servedBy.modelId,
          platform: task.servedBy.platform,
          tasks: 0,
        };
        entry.tasks += 1;
        inUse.set(id, entry);
      }
      const modelsInUse = [...inUse.values()]
        .map((entry) => {
          const model = findModel(catalog, entry.model);
          const status = model
            ? lifecycleOn(model, entry.platform as 'gemini-api' | 'vertex-ai', nowMs)
            : undefined;
          return {
            ...entry,
            stage: status?.stage ?? null,
            shutdown_date: status?.shutdownDate ?? null,
            days_to_shutdown: status?.daysToShutdown ?? null,
          };
        })
        .sort(
          (a, b) =>
            (a.days_to_shutdown ?? Number.POSITIVE_INFINITY) -
              (b.days_to_shutdown ?? Number.POSITIVE_INFINITY) || b.tasks - a.tasks,
        );
      const failures = (await store.list({ ...filter, status: 'failed', limit: 10 })).tasks;
      return c.json(
        {
          object: 'usage.overview' as const,
          at: Math.floor(nowMs / 1000),
          tasks_by_status: byStatus,
          last_hour: {
            finished: finishedLastHour.length,
            succeeded,
            failed,
            error_rate: finishedLastHour.length === 0 ? null : failed / finishedLastHour.length,
            per_minute: finishedLastHour.length / 60,
          },
          month: await monthBudgets(c, nowMs),
          models_in_use: modelsInUse,
          recent_failures: failures.map((task) => ({
            id: task.id,
            model: task.request.model,
            finished_at: task.finishedAtMs === undefined ? null : Math.floor(task.finishedAtMs / 1000),
            error: task.error
              ? { type: task.error.type, code: task.error.code, message: task.error.message }
              : null,
          })),
        },
        200,
      );
    })
    .openapi(getCost, async (c) => {
      const nowMs = clock.nowMs();
      const days = c.req.valid('query').days ?? 30;
      const fromMs = Math.floor(nowMs / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
      const tasks = (await collectTasks(store, { ...scope(c), createdAfterMs: fromMs - 1 })).filter(
        (task) => task.status !== 'cancelled',
      );
      const groups = (by: 'day' | 'model' | 'logical' | 'key') =>
        aggregateCosts(tasks, { by, fromMs }).groups.map((group) => ({
          key: group.key,
          tasks: group.tasks,
          images: group.images,
          estimated_usd: group.estimatedUsd,
          actual_usd: group.actualUsd,
        }));
      const byDay = fillDays(groups('day'), fromMs, days);
      const names = new Map(((await options.keys?.list()) ?? []).map((key) => [key.id, key.name]));
      return c.json(
        {
          object: 'usage.cost' as const,
          from: new Date(fromMs).toISOString().slice(0, 10),
          to: new Date(nowMs).toISOString().slice(0, 10),
          by_day: byDay,
          by_model: groups('model'),
          by_logical_name: groups('logical'),
          by_key: groups('key').map((group) => ({ ...group, name: names.get(group.key) ?? null })),
          total_usd: byDay.reduce((sum, day) => sum + day.actual_usd, 0),
          month: await monthBudgets(c, nowMs),
        },
        200,
      );
    });
}

/** Every day of the window, days without tasks as zero, so a chart's axis has no gaps. */
function fillDays(
  groups: Array<{ key: string; tasks: number; images: number; estimated_usd: number; actual_usd: number }>,
  fromMs: number,
  days: number,
) {
  const byKey = new Map(groups.map((group) => [group.key, group]));
  return Array.from({ length: days }, (_, index) => {
    const key = new Date(fromMs + index * DAY_MS).toISOString().slice(0, 10);
    return byKey.get(key) ?? { key, tasks: 0, images: 0, estimated_usd: 0, actual_usd: 0 };
  });
}
