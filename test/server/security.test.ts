import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { callerScope, listOwner } from '../../src/server/auth/index.js';
import { MAX_LIST_PAGE_BYTES } from '../../src/http/input-limits.js';
import { createWebhookRoutes, generateWebhookSecret, WebhookDispatcher } from '../../src/webhooks/index.js';
import { createTestServer, finishTask, jsonRequest, pngBytes, type TestServer } from './server-harness.js';

const june2026 = Date.UTC(2026, 5, 10, 12);
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const bearer = (secret: string | undefined): Record<string, string> =>
  secret ? { authorization: `Bearer ${secret}` } : {};

interface ErrorBody {
  error: { type: string; code: string; message: string; param: string | null };
}

/** A keyed server with webhook dead-letter routes on a dispatcher that refuses every receiver. */
async function keyedServer(overrides: Parameters<typeof createTestServer>[0] = {}) {
  const clock = new ManualClock(june2026);
  const dispatcher = new WebhookDispatcher({
    database: new Database(':memory:'),
    secret: generateWebhookSecret(),
    clock,
    retryScheduleMs: [],
  });
  const server = await createTestServer({
    clock,
    withKeys: true,
    ...overrides,
    overrides: {
      webhookRoutes: createWebhookRoutes(dispatcher, { ownerOf: (c) => listOwner(callerScope(c)) }),
      estimateCost: () => ({ costUsd: 0.04 }),
      ...overrides.overrides,
    },
  });
  servers.push(server);
  return { server, dispatcher, clock };
}

describe('one authorization rule on every route', () => {
  it("answers every route of the OpenAPI document 401 without a key and never shows a foreign key another key's resources", async () => {
    const { server, dispatcher } = await keyedServer();
    const { app, keys } = server;
    const owner = keys.create({ name: 'owner' });
    const foreign = keys.create({ name: 'foreign' });
    const admin = keys.create({ name: 'operator', admin: true });
    const as = (secret: string | undefined) => ({ headers: bearer(secret) });

    // The owner's resources: an upload, a finished task with an output image, a queued task, a dead letter.
    const upload = await app.request('/v1/files', {
      method: 'POST',
      headers: { ...bearer(owner.secret), 'content-type': 'application/octet-stream' },
      body: new Uint8Array(await pngBytes(10, 10)),
    });
    expect(upload.status).toBe(201);
    const file = (await upload.json()) as { id: string; sha256: string };
    const submit = (secret: string) =>
      app.request('/v1/images/generations', jsonRequest({ prompt: 'a kite' }, bearer(secret)));
    expect((await submit(owner.secret)).status).toBe(202);
    const finished = await finishTask(server, { modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' });
    const outputSha = finished.result!.images[0]!.sha256;
    const queued = (await (await submit(owner.secret)).json()) as { id: string };
    await dispatcher.enqueue({
      taskId: queued.id,
      apiKeyId: owner.record.id,
      url: 'http://127.0.0.1:9/hook',
      eventType: 'task.success',
      payload: {},
    });
    await dispatcher.deliverDue();
    const deadLetter = (await dispatcher.deadLetters()).deliveries[0]!.id;
    const ownerIds = [file.sha256, outputSha, finished.id, queued.id, deadLetter];

    const document = (await (await app.request('/openapi.json', as(owner.secret))).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'GET /v1/tasks/{id}',
        'POST /v1/tasks/{id}/cancel',
        'GET /v1/tasks/{id}/events',
        'GET /v1/images/{sha256}',
        'POST /v1/files',
        'GET /v1/webhooks/dead-letters',
        'POST /v1/webhooks/dead-letters/{id}/redeliver',
      ]),
    );
    const otherPng = new Uint8Array(await pngBytes(12, 12));
    const requestFor = (route: { method: string; path: string }, secret: string | undefined) => {
      const url = route.path
        .replace('{id}', route.path.includes('dead-letters') ? deadLetter : queued.id)
        .replace('{sha256}', outputSha)
        .replace('{name}', 'image_fast');
      const headers = bearer(secret);
      if (route.path === '/v1/images/generations') {
        return app.request(url, jsonRequest({ prompt: 'reuse', images: [file.id] }, headers));
      }
      if (route.path === '/v1/files') {
        return app.request(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/octet-stream' },
          body: otherPng,
        });
      }
      if (route.path === '/v1/task-events') {
        // A stream of every change the caller may see: it never ends by itself, so read what a
        // short listen brings and hang up.
        const listening = new AbortController();
        setTimeout(() => listening.abort(), 300);
        return app.request(url, { method: route.method, headers, signal: listening.signal });
      }
      return app.request(url, { method: route.method, headers });
    };

    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      const anonymous = await requestFor(route, undefined);
      expect(anonymous.status, `${label} without a key`).toBe(route.path === '/healthz' ? 200 : 401);

      const response = await requestFor(route, foreign.secret);
      const text = await response.text().catch(() => '');
      // A refusal may quote the id the caller itself sent (in the path, or the file id in the body);
      // nothing else may carry one of the owner's ids.
      const echoed = [
        ...(route.path === '/v1/images/generations' ? [file.sha256] : []),
        ...(route.path.includes('{sha256}') ? [outputSha] : []),
        ...(route.path.includes('{id}')
          ? [route.path.includes('dead-letters') ? deadLetter : queued.id]
          : []),
      ];
      for (const id of ownerIds.filter((id) => !echoed.includes(id))) {
        expect(text, `${label} with a foreign key`).not.toContain(id);
      }
      // Key management is for admin keys only: any other key is refused before the request is read.
      if (route.path.startsWith('/v1/keys') && route.path !== '/v1/keys/me') {
        expect(response.status, label).toBe(403);
      } else if (/\{(id|sha256)\}/.test(route.path)) expect(response.status, label).toBe(404);
      if (route.path === '/v1/images/generations') {
        // Another key's file id is "unknown", exactly like one nobody uploaded: no existence oracle.
        expect(response.status).toBe(400);
        const unknown = (await (
          await app.request(
            '/v1/images/generations',
            jsonRequest({ prompt: 'x', images: [`file_${'c'.repeat(64)}`] }, bearer(foreign.secret)),
          )
        ).json()) as ErrorBody;
        const refused = JSON.parse(text) as ErrorBody;
        expect(refused.error.code).toBe('unknown_file');
        expect(refused.error.message.replace(file.id, 'ID')).toBe(
          unknown.error.message.replace(`file_${'c'.repeat(64)}`, 'ID'),
        );
      }
    }

    // Nothing the foreign key did touched the owner's resources.
    expect((await server.store.get(queued.id))?.status).toBe('queued');
    expect((await dispatcher.delivery(deadLetter))?.status).toBe('dead');
    // The owner and an admin reach them.
    for (const secret of [owner.secret, admin.secret]) {
      expect((await app.request(`/v1/tasks/${queued.id}`, as(secret))).status).toBe(200);
      expect((await app.request(`/v1/images/${outputSha}`, as(secret))).status).toBe(200);
      expect((await app.request(`/v1/images/${file.sha256}`, as(secret))).status).toBe(200);
      const letters = await app.request('/v1/webhooks/dead-letters', as(secret));
      expect(await letters.text()).toContain(deadLetter);
    }
    const listed = (await (await app.request('/v1/tasks', as(admin.secret))).json()) as { data: unknown[] };
    expect(listed.data).toHaveLength(2);
  });

  it('serves without a key while no key exists, and needs one from the first key on', async () => {
    const { server } = await keyedServer();
    expect((await server.app.request('/v1/tasks')).status).toBe(200);
    const { record } = server.keys.create({ name: 'first' });
    expect((await server.app.request('/v1/tasks')).status).toBe(401);
    // Revoking every key does not open the server again.
    server.keys.revoke(record.id);
    expect((await server.app.request('/v1/tasks')).status).toBe(401);
    expect((await server.app.request('/healthz')).status).toBe(200);
  });
});

describe('conversations across keys', () => {
  it("stores a caller's inline history images as its own, and refuses another key's stored image as if it did not exist", async () => {
    const { server } = await keyedServer();
    const alice = server.keys.create({ name: 'alice' }).secret;
    const bob = server.keys.create({ name: 'bob' }).secret;
    const image = await pngBytes(12, 12);
    const submitted = await server.app.request(
      '/v1/images/generations',
      jsonRequest(
        {
          prompt: 'continue',
          contents: [
            {
              role: 'user',
              parts: [{ inlineData: { mimeType: 'image/png', data: image.toString('base64') } }],
            },
          ],
        },
        bearer(alice),
      ),
    );
    expect(submitted.status).toBe(202);
    const task = (await server.store.get(((await submitted.json()) as { id: string }).id))!;
    const part = (task.request.history[0] as { parts: Array<{ fileData: { fileUri: string } }> }).parts[0]!;
    expect(part.fileData.fileUri).toMatch(/^\/v1\/images\/[0-9a-f]{64}$/);
    expect((await server.app.request(part.fileData.fileUri, { headers: bearer(alice) })).status).toBe(200);
    expect((await server.app.request(part.fileData.fileUri, { headers: bearer(bob) })).status).toBe(404);

    const borrowed = await server.app.request(
      '/v1/images/generations',
      jsonRequest(
        {
          prompt: 'continue',
          contents: [
            {
              role: 'user',
              parts: [{ fileData: { mimeType: 'image/png', fileUri: part.fileData.fileUri } }],
            },
          ],
        },
        bearer(bob),
      ),
    );
    expect(borrowed.status).toBe(400);
    expect(((await borrowed.json()) as ErrorBody).error.param).toBe('contents[0].parts[0].fileData.fileUri');
  });
});

describe('budgets that hold under concurrency', () => {
  it.each([
    ['without references', false],
    ['with data: references', true],
  ])('accepts at most what fits among 50 concurrent submits %s', async (_label, withReferences) => {
    const { server } = await keyedServer();
    const { secret, record } = server.keys.create({ name: 'tight', monthlyBudgetUsd: 0.12 });
    const reference = `data:image/png;base64,${(await pngBytes(9, 9)).toString('base64')}`;
    const body = { prompt: 'a kite', ...(withReferences ? { images: [reference] } : {}) };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        server.app.request('/v1/images/generations', jsonRequest(body, bearer(secret))),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(47);
    const refused = (await responses.find((response) => response.status === 429)!.json()) as ErrorBody;
    expect(refused.error.code).toBe('monthly_budget_exceeded');
    const tasks = (await server.store.list({ apiKeyId: record.id, limit: 100 })).tasks;
    const reserved = tasks.reduce((sum, task) => sum + (task.estimatedCostUsd ?? 0), 0);
    expect(reserved).toBeLessThanOrEqual(0.12 + 1e-9);
  });
});

describe('bounded answers', () => {
  it('ends a task page before it passes the page byte limit, and the cursor goes on from there', async () => {
    const { server, clock } = await keyedServer();
    const bulky = 'x'.repeat(200 * 1024);
    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      const submitted = await server.app.request(
        '/v1/images/generations',
        jsonRequest({ prompt: `kite ${index}` }),
      );
      ids.push(((await submitted.json()) as { id: string }).id);
      clock.advance(1000);
    }
    // Finished tasks whose next-turn history is large, as an inline image makes it.
    for (let index = 0; index < 12; index += 1) {
      const claimed = (await server.store.claim('worker', server.clock.nowMs(), 60_000))!;
      await server.store.complete(
        claimed.lease,
        {
          status: 'success',
          result: { images: [], nextTurnContents: [{ role: 'model', parts: [{ text: bulky }] }] },
          attempts: [],
          warnings: [],
          servedBy: { modelId: 'm', platform: 'gemini-api' },
        },
        server.clock.nowMs(),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      pages += 1;
      const response = await server.app.request(`/v1/tasks?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      const text = await response.text();
      expect(text.length).toBeLessThanOrEqual(MAX_LIST_PAGE_BYTES + 300 * 1024);
      const page = JSON.parse(text) as {
        data: { id: string }[];
        has_more: boolean;
        next_cursor: string | null;
      };
      expect(page.data.length).toBeGreaterThan(0);
      seen.push(...page.data.map((task) => task.id));
      cursor = page.next_cursor;
      expect(page.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBeGreaterThanOrEqual(3);
  });
});

describe('no 500 for bad input', () => {
  it('answers a wrong or missing Content-Type 415, malformed multipart 400 and deep JSON 400', async () => {
    const { server } = await keyedServer();
    const { app } = server;
    for (const headers of [{}, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
      const response = await app.request('/v1/images/generations', {
        method: 'POST',
        headers,
        body: '{"prompt":"x"}',
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as ErrorBody).error).toMatchObject({
        type: 'unsupported_media_type',
        code: 'unsupported_media_type',
        param: 'Content-Type',
      });
    }
    const multipart = await app.request('/v1/files', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=abc' },
      body: 'garbage',
    });
    expect(multipart.status).toBe(400);
    expect(((await multipart.json()) as ErrorBody).error.code).toBe('malformed_body');
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    for (const body of [`{"prompt":${deep}}`, `{"prompt":"x","contents":${deep}}`, `{"metadata":${deep}}`]) {
      const response = await app.request('/v1/images/generations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error.code).toBe('nesting_too_deep');
    }
    expect(server.errors).toEqual([]);
  });

  it('quotes only a short prefix of a bad value and caps every unbounded field', async () => {
    const { server } = await keyedServer();
    const submit = (body: unknown) => server.app.request('/v1/images/generations', jsonRequest(body));
    const temperature = await submit({ prompt: 'x', temperature: 'a'.repeat(10 * 1024 * 1024) });
    expect(temperature.status).toBe(400);
    const text = await temperature.text();
    expect(text.length).toBeLessThan(400);
    expect(text).toContain('(10485760 characters)');
    for (const [field, body] of [
      ['webhook_url', { prompt: 'x', webhook_url: `https://hooks.example/${'a'.repeat(1024 * 1024)}` }],
      ['prompt', { prompt: 'a'.repeat(128 * 1024 + 1) }],
      ['model', { prompt: 'x', model: 'm'.repeat(201) }],
      [
        'contents',
        { prompt: 'x', contents: Array.from({ length: 65 }, () => ({ role: 'user', parts: [] })) },
      ],
    ] as const) {
      const response = await submit(body);
      expect(response.status, field).toBe(400);
      const error = ((await response.json()) as ErrorBody).error;
      expect(error.param, field).toBe(field);
      expect(error.message.length, field).toBeLessThan(300);
    }
  });
});

describe('honest health under storage faults', () => {
  it('answers 503 storage_unavailable with Retry-After, degrades /healthz and recovers by itself', async () => {
    let diskFull = false;
    const fault = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const { server, clock } = await keyedServer({
      overrides: { probeWrite: async () => (diskFull ? Promise.reject(fault()) : undefined) },
    });
    // The injected fault: every write of the task store fails the way SQLite does on a full disk.
    const create = server.store.create.bind(server.store);
    server.store.create = (...args) => (diskFull ? Promise.reject(fault()) : create(...args));
    const app = server;
    diskFull = true;
    const refused = await app.app.request('/v1/images/generations', jsonRequest({ prompt: 'x' }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(((await refused.json()) as ErrorBody).error).toMatchObject({
      type: 'service_unavailable',
      code: 'storage_unavailable',
    });
    const health = await app.app.request('/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', reason: 'disk full (SQLITE_FULL)' });

    diskFull = false;
    // Writes may fail again for a while after one passes: degraded until the window has passed.
    clock.advance(30_000);
    expect((await app.app.request('/healthz')).status).toBe(200);
    const accepted = await app.app.request('/v1/images/generations', jsonRequest({ prompt: 'y' }));
    expect(accepted.status).toBe(202);
    // Nothing acknowledged is lost, and nothing refused was kept.
    const tasks = (await app.store.list({})).tasks;
    expect(tasks.map((task) => task.request.prompt)).toEqual(['y']);
  });
});
