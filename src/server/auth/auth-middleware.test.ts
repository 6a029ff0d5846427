import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiKeyStore } from './api-key-store.js';
import { createAuthMiddleware, type AuthEnv } from './auth-middleware.js';

function appWith(required: boolean) {
  const keys = new ApiKeyStore(new Database(':memory:'));
  const app = new Hono<AuthEnv>();
  app.use(createAuthMiddleware({ keys, required }));
  app.get('/who', (c) => c.json({ key: c.get('apiKey')?.name ?? null }));
  return { app, keys };
}

const bearer = (secret: string) => ({ headers: { authorization: `Bearer ${secret}` } });

describe('createAuthMiddleware', () => {
  it('sets the key record for a valid bearer secret', async () => {
    const { app, keys } = appWith(true);
    const { secret } = keys.create({ name: 'ci' });
    const response = await app.request('/who', bearer(secret));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ key: 'ci' });
  });

  it('refuses a missing key when keys are required', async () => {
    const response = await appWith(true).app.request('/who');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await response.json()).toEqual({
      error: {
        type: 'authentication_error',
        code: 'missing_api_key',
        message: expect.stringContaining('imagegate keys create'),
        param: null,
      },
    });
  });

  it('lets keyless requests through when keys are optional', async () => {
    const response = await appWith(false).app.request('/who');
    expect(await response.json()).toEqual({ key: null });
  });

  it.each([false, true])(
    'always refuses an invalid, revoked or malformed key (required: %s)',
    async (required) => {
      const { app, keys } = appWith(required);
      const { record, secret } = keys.create({ name: 'old' });
      keys.revoke(record.id);
      for (const init of [
        bearer(secret),
        bearer(`igk_${'x'.repeat(32)}`),
        { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } },
        { headers: { authorization: secret } },
      ]) {
        const response = await app.request('/who', init);
        expect(response.status).toBe(401);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
      }
    },
  );
});
