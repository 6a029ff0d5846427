import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  /** The registry `/metrics` exposes; add more metrics to it as needed. */
  registry: Registry;
  /** Counts and times every request by method, route pattern and status. Mount it first. */
  middleware: MiddlewareHandler;
  /** `imagegate_tasks_total{status, model}`: tasks that reached a final status. */
  tasksTotal: Counter<'status' | 'model'>;
  /** Serves the registry in the Prometheus text format. */
  handler: (c: Context) => Promise<Response>;
}

/** Request durations in seconds: image generations take seconds to minutes, metadata calls milliseconds. */
const durationBucketsSeconds = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * A private registry with the process's default metrics, HTTP request metrics and the task counter.
 * Each call makes a new registry, so several servers (or tests) in one process never clash.
 */
export function createMetrics(
  options: {
    /** Batch lane items by state (pending, succeeded, failed, online), read at each scrape. Default: no gauge. */
    batchItemCounts?: () => Readonly<Record<string, number>>;
  } = {},
): Metrics {
  const registry = new Registry();
  const batchItemCounts = options.batchItemCounts;
  if (batchItemCounts) {
    new Gauge({
      name: 'imagegate_batch_items',
      help: 'Batch lane items by state: pending in a job, succeeded, failed, or moved to the online lane',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        for (const [state, count] of Object.entries(batchItemCounts())) this.set({ state }, count);
      },
    });
  }
  collectDefaultMetrics({ register: registry });
  const requestsTotal = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response headers, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: durationBucketsSeconds,
    registers: [registry],
  });
  const tasksTotal = new Counter({
    name: 'imagegate_tasks_total',
    help: 'Tasks that reached a final status, by status and requested model',
    labelNames: ['status', 'model'] as const,
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async (c, next) => {
    const startedAt = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const labels = { method: c.req.method, route: routeLabel(c), status: String(c.res.status) };
      requestsTotal.inc(labels);
      requestDuration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
    }
  };
  const handler = async (c: Context) =>
    c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  return { registry, middleware, tasksTotal, handler };
}

/**
 * The route pattern (`/v1/tasks/:id`), never the raw path, so label cardinality stays bounded; requests
 * that matched only catch-all middleware count as `unmatched`.
 */
function routeLabel(c: Context): string {
  const handlers = matchedRoutes(c).filter((route) => !(route.method === 'ALL' && route.path.endsWith('*')));
  return handlers.at(-1)?.path ?? 'unmatched';
}
