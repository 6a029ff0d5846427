import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { ApiKeyStore } from './api-key-store.js';
import { createAuthMiddleware, type AuthEnv } from './auth-middleware.js';
import { createKeyRateLimitMiddleware } from './key-rate-limit-middleware.js';

function limitedApp(defaultPerMinute?: number) {
  const clock = new ManualClock(Date.UTC(2026, 3, 1));
  const keys = new ApiKeyStore(new Database(':memory:'), { clock });
  const app = new Hono<AuthEnv>();
  app.use(createAuthMiddleware({ keys, required: false }));
  app.use(createKeyRateLimitMiddleware({ clock, ...(defaultPerMinute ? { defaultPerMinute } : {}) }));
  app.get('/', (c) => c.text('ok'));
  return { app, keys, clock };
}

async function statuses(app: Hono<AuthEnv>, count: number, secret?: string): Promise<number[]> {
  const init = secret ? { headers: { authorization: `Bearer ${secret}` } } : {};
  const result: number[] = [];
  for (let index = 0; index < count; index += 1) result.push((await app.request('/', init)).status);
  return result;
}

describe('createKeyRateLimitMiddleware', () => {
  it("allows a key's per-minute burst, then answers 429 with Retry-After until a token refills", async () => {
    const { app, keys, clock } = limitedApp();
    const { secret } = keys.create({ name: 'slow', rateLimitPerMinute: 3 });
    expect(await statuses(app, 4, secret)).toEqual([200, 200, 200, 429]);
    const refused = await app.request('/', { headers: { authorization: `Bearer ${secret}` } });
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(await refused.json()).toEqual({
      error: {
        type: 'rate_limit_exceeded',
        code: 'rate_limit_exceeded',
        message: expect.stringContaining('3 requests per minute reached for API key "slow"'),
        param: null,
      },
    });
    clock.advance(19_999);
    expect(await statuses(app, 1, secret)).toEqual([429]);
    clock.advance(1);
    expect(await statuses(app, 2, secret)).toEqual([200, 429]);
  });

  it('keeps one bucket per key', async () => {
    const { app, keys } = limitedApp();
    const first = keys.create({ name: 'first', rateLimitPerMinute: 1 });
    const second = keys.create({ name: 'second', rateLimitPerMinute: 1 });
    expect(await statuses(app, 2, first.secret)).toEqual([200, 429]);
    expect(await statuses(app, 2, second.secret)).toEqual([200, 429]);
  });

  it('applies the default to keys without their own limit and to keyless requests together', async () => {
    const { app, keys } = limitedApp(2);
    const { secret } = keys.create({ name: 'plain' });
    expect(await statuses(app, 3, secret)).toEqual([200, 200, 429]);
    expect(await statuses(app, 3)).toEqual([200, 200, 429]);
  });

  it('does not limit anything without a default or a per-key limit', async () => {
    const { app, keys } = limitedApp();
    const { secret } = keys.create({ name: 'free' });
    expect(await statuses(app, 50, secret)).not.toContain(429);
  });
});
