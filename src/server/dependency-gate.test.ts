import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { errorResponse, ApiError } from '../http/index.js';
import { createDependencyGate } from './dependency-gate.js';
import { DependencyHealth } from './dependency-health.js';

/** An app shaped like the server's: an error handler that answers 500, the gate, and one route. */
function gatedApp(route: () => Response | Promise<Response>) {
  const health = new DependencyHealth({
    clock: new ManualClock(Date.UTC(2026, 2, 1)),
    checks: [{ name: 'postgres', check: async () => {} }],
  });
  const app = new Hono();
  app.onError((_error, c) =>
    errorResponse(c, new ApiError(500, 'api_error', 'internal_error', 'Something went wrong.', null)),
  );
  app.use('/v1/*', createDependencyGate(health, 'postgres'));
  let calls = 0;
  app.get('/v1/tasks', () => {
    calls += 1;
    return route();
  });
  return { app, health, calls: () => calls };
}

describe('createDependencyGate', () => {
  it('turns a request that failed on a lost PostgreSQL connection into 503 with Retry-After, and marks it down', async () => {
    const { app, health } = gatedApp(() => {
      // What node-postgres throws on a connection that pg_terminate_backend (or a restart) ended.
      throw Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      });
    });
    const response = await app.request('/v1/tasks');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });
    expect(health.firstDown()).toBe('postgres');
  });

  it('answers 503 at once, without running the request, while a dependency is down', async () => {
    const { app, health, calls } = gatedApp(() => new Response('listed'));
    health.reportFailure('postgres', new Error('connect ECONNREFUSED'));
    const response = await app.request('/v1/tasks');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(calls()).toBe(0);
  });

  it('leaves other failures alone', async () => {
    const { app, health } = gatedApp(() => {
      throw new Error('a bug');
    });
    expect((await app.request('/v1/tasks')).status).toBe(500);
    expect(health.firstDown()).toBeUndefined();
  });
});
