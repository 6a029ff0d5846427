import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { ApiError, errorResponse } from '../../src/http/api-error.js';
import {
  ApiKeyStore,
  checkMonthlyBudget,
  createAuthMiddleware,
  createKeyRateLimitMiddleware,
  type AuthEnv,
} from '../../src/server/auth/index.js';
import { createMetrics } from '../../src/server/metrics/index.js';

/**
 * The auth pieces composed the way the server mounts them: /healthz and /metrics outside auth, the API
 * behind the key check, the per-key limit and the monthly budget.
 */
function server(options: {
  required: boolean;
  spentUsdByKeyName?: Record<string, number>;
  priceUsd?: number;
}) {
  const clock = new ManualClock(Date.parse('2026-04-10T12:00:00Z'));
  const keys = new ApiKeyStore(new Database(':memory:'), { clock });
  const metrics = createMetrics();
  const app = new Hono<AuthEnv>();
  app.use(metrics.middleware);
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/metrics', metrics.handler);
  app.use('/v1/*', createAuthMiddleware({ keys, required: options.required }));
  app.use('/v1/*', createKeyRateLimitMiddleware({ clock, defaultPerMinute: 100 }));
  app.post('/v1/images/generations', (c) => {
    const key = c.get('apiKey');
    const budget = checkMonthlyBudget({
      key,
      spentThisMonthUsd: options.spentUsdByKeyName?.[key?.name ?? ''] ?? 0,
      estimatedUsd: options.priceUsd,
      missingPrice: 'the output price of the routed model',
    });
    if (!budget.ok) {
      return errorResponse(c, new ApiError(429, 'rate_limit_exceeded', 'budget_exceeded', budget.message));
    }
    return c.json({ id: 'task_img_1', key: key?.name ?? null }, 202);
  });
  return { app, keys, clock };
}

const post = (secret?: string): RequestInit => ({
  method: 'POST',
  headers: secret ? { authorization: `Bearer ${secret}` } : new Headers(),
});

describe('API keys on the server', () => {
  it('keeps /healthz and /metrics open while the API needs a key', async () => {
    const { app, keys } = server({ required: true, priceUsd: 0.04 });
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/v1/images/generations', post())).status).toBe(401);
    const { secret } = keys.create({ name: 'app' });
    const accepted = await app.request('/v1/images/generations', post(secret));
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ id: 'task_img_1', key: 'app' });
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain(
      'http_requests_total{method="POST",route="/v1/images/generations",status="401"} 1',
    );
    expect(text).toContain(
      'http_requests_total{method="POST",route="/v1/images/generations",status="202"} 1',
    );
  });

  it('stops a key at its rate limit while another key carries on', async () => {
    const { app, keys, clock } = server({ required: true, priceUsd: 0.04 });
    const limited = keys.create({ name: 'limited', rateLimitPerMinute: 2 }).secret;
    const other = keys.create({ name: 'other' }).secret;
    const statuses = [];
    for (let index = 0; index < 3; index += 1) {
      statuses.push((await app.request('/v1/images/generations', post(limited))).status);
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect((await app.request('/v1/images/generations', post(other))).status).toBe(202);
    clock.advance(30_000);
    expect((await app.request('/v1/images/generations', post(limited))).status).toBe(202);
  });

  it('refuses a request past the key budget, and one of unknown cost while a budget is set', async () => {
    const { app, keys } = server({
      required: true,
      priceUsd: 0.24,
      spentUsdByKeyName: { capped: 9.9, roomy: 9 },
    });
    const capped = keys.create({ name: 'capped', monthlyBudgetUsd: 10 }).secret;
    const roomy = keys.create({ name: 'roomy', monthlyBudgetUsd: 10 }).secret;
    const refused = await app.request('/v1/images/generations', post(capped));
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'budget_exceeded',
      message: expect.stringContaining('$9.90 is spent this month and this request is estimated at $0.2400'),
    });
    expect((await app.request('/v1/images/generations', post(roomy))).status).toBe(202);

    const unknownPrice = server({ required: true });
    const budgeted = unknownPrice.keys.create({ name: 'budgeted', monthlyBudgetUsd: 5 }).secret;
    const unbudgeted = unknownPrice.keys.create({ name: 'free' }).secret;
    const closed = await unknownPrice.app.request('/v1/images/generations', post(budgeted));
    expect(((await closed.json()) as { error: { message: string } }).error.message).toContain(
      'does not know the output price of the routed model',
    );
    expect((await unknownPrice.app.request('/v1/images/generations', post(unbudgeted))).status).toBe(202);
  });

  it('accepts keyless requests when keys are optional but never a wrong key', async () => {
    const { app } = server({ required: false, priceUsd: 0.04 });
    expect(await (await app.request('/v1/images/generations', post())).json()).toMatchObject({ key: null });
    expect((await app.request('/v1/images/generations', post(`igk_${'0'.repeat(32)}`))).status).toBe(401);
  });
});
