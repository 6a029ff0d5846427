import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './create-metrics.js';

function instrumentedApp() {
  const metrics = createMetrics();
  const app = new Hono();
  app.use(metrics.middleware);
  const tasks = new Hono();
  tasks.get('/:id', (c) => c.json({ id: c.req.param('id') }));
  app.route('/v1/tasks', tasks);
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.get('/metrics', metrics.handler);
  app.onError((_error, c) => c.text('internal error', 500));
  return { app, metrics };
}

describe('createMetrics', () => {
  it('counts requests by route pattern and status, not by raw path', async () => {
    const { app } = instrumentedApp();
    await app.request('/v1/tasks/task_img_1');
    await app.request('/v1/tasks/task_img_2');
    await app.request('/nowhere/at/all');
    await app.request('/boom');
    const response = await app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('http_requests_total{method="GET",route="/v1/tasks/:id",status="200"} 2');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/boom",status="500"} 1');
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/v1/tasks/:id",status="200"} 2',
    );
    expect(text).not.toContain('task_img_1');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('exposes the task counter and keeps registries apart', async () => {
    const first = instrumentedApp();
    const second = instrumentedApp();
    first.metrics.tasksTotal.inc({ status: 'success', model: 'image_fast' });
    first.metrics.tasksTotal.inc({ status: 'success', model: 'image_fast' });
    const firstText = await (await first.app.request('/metrics')).text();
    const secondText = await (await second.app.request('/metrics')).text();
    expect(firstText).toContain('imagegate_tasks_total{status="success",model="image_fast"} 2');
    expect(secondText).not.toContain('imagegate_tasks_total{');
  });

  it('reports batch lane items by state at each scrape, when given a source', async () => {
    const counts = { pending: 3, succeeded: 0, failed: 0, online: 0 };
    const metrics = createMetrics({ batchItemCounts: () => counts });
    expect(await metrics.registry.metrics()).toContain('imagegate_batch_items{state="pending"} 3');
    counts.pending = 1;
    counts.succeeded = 2;
    const text = await metrics.registry.metrics();
    expect(text).toContain('imagegate_batch_items{state="pending"} 1');
    expect(text).toContain('imagegate_batch_items{state="succeeded"} 2');
    expect(await createMetrics().registry.metrics()).not.toContain('imagegate_batch_items');
  });
});
