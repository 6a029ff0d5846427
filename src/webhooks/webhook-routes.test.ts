import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import type { safeFetch } from '../net/index.js';
import { generateWebhookSecret } from './sign-webhook.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { createWebhookRoutes } from './webhook-routes.js';

async function routesWithDeadLetters(
  count: number,
  ownerOfIndex: (index: number) => string | undefined = () => undefined,
) {
  const clock = new ManualClock(Date.UTC(2026, 3, 1));
  const failing: typeof safeFetch = async (url) => ({
    status: 410,
    headers: new Headers(),
    bytes: Buffer.alloc(0),
    finalUrl: url,
  });
  const dispatcher = new WebhookDispatcher({
    database: new Database(':memory:'),
    secret: generateWebhookSecret(),
    clock,
    fetch: failing,
    retryScheduleMs: [],
  });
  for (let index = 0; index < count; index += 1) {
    clock.advance(1);
    await dispatcher.enqueue({
      taskId: `task_${index}`,
      apiKeyId: ownerOfIndex(index),
      url: 'https://hooks.example/',
      eventType: 'task.failed',
      payload: { index },
    });
  }
  await dispatcher.deliverDue();
  // The caller's owner comes from a test header here; the server derives it from the API key.
  const routes = createWebhookRoutes(dispatcher, {
    ownerOf: (c) => {
      const owner = c.req.header('x-owner');
      return owner === undefined ? undefined : owner === '' ? null : owner;
    },
  });
  return { routes, dispatcher };
}

describe('createWebhookRoutes', () => {
  it("lists and redelivers only the caller's own dead letters; another key's is a 404", async () => {
    const { routes, dispatcher } = await routesWithDeadLetters(4, (index) => (index < 2 ? 'key_a' : 'key_b'));
    const as = (owner: string) => ({ headers: { 'x-owner': owner } });
    const listed = async (owner: string) =>
      (
        (await (await routes.request('/dead-letters', as(owner))).json()) as { data: { task_id: string }[] }
      ).data
        .map((delivery) => delivery.task_id)
        .sort();
    expect(await listed('key_a')).toEqual(['task_0', 'task_1']);
    expect(await listed('key_b')).toEqual(['task_2', 'task_3']);
    expect(await listed('')).toEqual([]);
    const ofA = (await dispatcher.deadLetters({ owner: 'key_a' })).deliveries[0]!.id;
    const foreign = await routes.request(`/dead-letters/${ofA}/redeliver`, {
      method: 'POST',
      ...as('key_b'),
    });
    expect(foreign.status).toBe(404);
    expect((await dispatcher.delivery(ofA))?.status).toBe('dead');
    const own = await routes.request(`/dead-letters/${ofA}/redeliver`, { method: 'POST', ...as('key_a') });
    expect(own.status).toBe(202);
    expect((await dispatcher.delivery(ofA))?.status).toBe('pending');
  });

  it('lists dead letters page by page in the API shape', async () => {
    const { routes } = await routesWithDeadLetters(3);
    const first = await routes.request('/dead-letters?limit=2');
    expect(first.status).toBe(200);
    const page = (await first.json()) as { data: Record<string, unknown>[]; next_cursor: string | null };
    expect(page.data.map((delivery) => delivery.task_id)).toEqual(['task_2', 'task_1']);
    expect(page.data[0]).toMatchObject({
      object: 'webhook_delivery',
      status: 'dead',
      attempts: 1,
      event_type: 'task.failed',
      last_status_code: 410,
      dead_at: '2026-04-01T00:00:00.003Z',
      next_attempt_at: null,
      payload: { type: 'task.failed', data: { index: 2 } },
    });
    const rest = await routes.request(`/dead-letters?limit=2&cursor=${page.next_cursor ?? ''}`);
    const second = (await rest.json()) as { data: Record<string, unknown>[]; next_cursor: string | null };
    expect(second.data.map((delivery) => delivery.task_id)).toEqual(['task_0']);
    expect(second.next_cursor).toBeNull();
  });

  it.each([
    ['/dead-letters?limit=0', 'limit'],
    ['/dead-letters?limit=many', 'limit'],
    ['/dead-letters?cursor=../../etc', 'cursor'],
    ['/dead-letters?page=2', 'page'],
  ])('answers 400 naming the parameter for %s', async (path, param) => {
    const { routes } = await routesWithDeadLetters(0);
    const response = await routes.request(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; param: string; message: string } };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(body.error.message).toContain(param);
  });

  it('redelivers a dead letter and answers 404 for anything else', async () => {
    const { routes, dispatcher } = await routesWithDeadLetters(1);
    const id = (await dispatcher.deadLetters()).deliveries[0]?.id ?? '';
    const accepted = await routes.request(`/dead-letters/${id}/redeliver`, { method: 'POST' });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ id, status: 'pending', attempts: 0 });
    const again = await routes.request(`/dead-letters/${id}/redeliver`, { method: 'POST' });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('dead_letter_not_found');
  });
});
