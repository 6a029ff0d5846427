import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock/index.js';
import { configSchema } from '../../src/config/index.js';
import { RegressionJobs } from '../../src/server/regressions/regression-jobs.js';
import { RegressionRunStore } from '../../src/server/regressions/regression-run-store.js';
import { openSqliteDatabase } from '../../src/tasks/index.js';
import { builtInCatalog } from '../../src/catalog/index.js';
import { openApiDocumentSchema, readError, readJson, taskSchema } from '../support/read-json.js';
import { readTextUntil } from '../support/wait-until.js';
import { createTestServer, finishTask, jsonRequest, type TestServer } from './server-harness.js';

/** The parts of the console endpoints' answers these tests read (the server declares no shared schema). */
const lifecycleSchema = z.object({
  today: z.string(),
  at: z.string(),
  models: z.array(
    z.object({
      id: z.string(),
      platforms: z.array(z.object({ platform: z.string() })),
    }),
  ),
  routes: z.array(z.object({ name: z.string() })),
  guard: z.object({ at: z.string() }),
});
const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  admin: z.boolean(),
  revoked_at: z.number().nullable(),
});
const createdKeySchema = keySchema.extend({ secret: z.string() });
const keyListSchema = z.object({ data: z.array(keySchema) });
const statusCountsSchema = z.record(z.string(), z.number());
const usageOverviewSchema = z.object({
  tasks_by_status: statusCountsSchema,
  models_in_use: z.array(z.object({ model: z.string() })),
  month: z.object({ key: z.object({ budget_usd: z.number().nullable() }) }),
});
const usageCostSchema = z.object({
  by_day: z.array(z.object({ key: z.string() })),
  by_key: z.array(z.object({ name: z.string() })),
});
const taskRequestSchema = z.object({ prompt: z.string(), model: z.string(), n: z.number() });
const provenanceSchema = z.object({ sha256: z.string(), width: z.number(), height: z.number() });
const regressionRunSchema = z.object({
  id: z.string(),
  status: z.string(),
  prompts: z.number(),
  done: z.number(),
});
const regressionListSchema = z.object({ data: z.array(regressionRunSchema) });

/** The endpoints the web console reads: each validated, each scoped to the caller's key. */
let server: TestServer;
afterEach(async () => {
  await server?.close();
});

const onTestDay = () => new ManualClock(Date.UTC(2026, 5, 10, 12));
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

async function keyed() {
  server = await createTestServer({
    clock: onTestDay(),
    withKeys: true,
    config: { server: { requireApiKey: true } },
  });
  const admin = server.keys.create({ name: 'admin', admin: true });
  const alice = server.keys.create({ name: 'alice', monthlyBudgetUsd: 10 });
  const bob = server.keys.create({ name: 'bob' });
  return { admin, alice, bob };
}

async function submit(secret: string, prompt = 'a kite') {
  const response = await server.app.request(
    '/v1/images/generations',
    jsonRequest({ prompt }, bearer(secret)),
  );
  expect(response.status).toBe(202);
  return readJson(response, taskSchema);
}

describe('GET /v1/lifecycle', () => {
  it('judges on the server clock by default and on ?at= when asked', async () => {
    server = await createTestServer({ clock: onTestDay() });
    const today = await readJson(await server.app.request('/v1/lifecycle'), lifecycleSchema);
    expect(today.today).toBe('2026-06-10');
    expect(today.at).toBe('2026-06-10');
    const preview = (body: z.infer<typeof lifecycleSchema>) =>
      body.models
        .find((model) => model.id === 'gemini-3.1-flash-image-preview')
        ?.platforms.find((entry) => entry.platform === 'gemini-api');
    expect(preview(today)).toMatchObject({
      stage: 'preview',
      shutdown_date: '2026-06-25',
      days_to_shutdown: 15,
    });
    expect(today.routes.map((route) => route.name)).toContain('image_fast');
    const later = await readJson(await server.app.request('/v1/lifecycle?at=2026-07-01'), lifecycleSchema);
    expect(later.today).toBe('2026-06-10');
    expect(preview(later)).toMatchObject({ stage: 'retired' });
    expect(later.guard.at).toContain('2026-07-01');
  });

  it('refuses a malformed date, naming the field', async () => {
    server = await createTestServer({ clock: onTestDay() });
    const response = await server.app.request('/v1/lifecycle?at=July');
    expect(response.status).toBe(400);
    expect((await readError(response)).error.param).toBe('at');
  });
});

describe('/v1/keys', () => {
  it('lets an admin key create, list and revoke keys; the secret is shown once', async () => {
    const { admin, alice } = await keyed();
    const created = await server.app.request(
      '/v1/keys',
      jsonRequest({ name: 'ci', monthly_budget_usd: 5, rate_limit_per_minute: 30 }, bearer(admin.secret)),
    );
    expect(created.status).toBe(201);
    const body = await readJson(created, createdKeySchema);
    expect(body).toMatchObject({
      name: 'ci',
      admin: false,
      monthly_budget_usd: 5,
      rate_limit_per_minute: 30,
    });
    expect(body.secret).toMatch(/^igk_/);
    expect((await server.app.request('/v1/tasks', { headers: bearer(body.secret) })).status).toBe(200);
    const list = await readJson(
      await server.app.request('/v1/keys', { headers: bearer(admin.secret) }),
      keyListSchema,
    );
    expect(list.data.map((key) => key.name)).toEqual(['admin', 'alice', 'bob', 'ci']);
    expect(JSON.stringify(list)).not.toContain(body.secret);
    const revoked = await server.app.request(`/v1/keys/${body.id}`, {
      method: 'DELETE',
      headers: bearer(admin.secret),
    });
    expect((await readJson(revoked, keySchema)).revoked_at).not.toBeNull();
    expect((await server.app.request('/v1/tasks', { headers: bearer(body.secret) })).status).toBe(401);
    const self = await server.app.request(`/v1/keys/${admin.record.id}`, {
      method: 'DELETE',
      headers: bearer(admin.secret),
    });
    expect(self.status).toBe(409);
    const unknown = await server.app.request('/v1/keys/key_nothere', {
      method: 'DELETE',
      headers: bearer(admin.secret),
    });
    expect(unknown.status).toBe(404);
    const me = await readJson(
      await server.app.request('/v1/keys/me', { headers: bearer(alice.secret) }),
      keySchema,
    );
    expect(me).toMatchObject({ name: 'alice', admin: false });
  });

  it('refuses key management to a key without the admin flag (403) and bad bodies (400 naming the field)', async () => {
    const { admin, alice } = await keyed();
    const listed = await server.app.request('/v1/keys', { headers: bearer(alice.secret) });
    expect(listed.status).toBe(403);
    expect((await readError(listed)).error).toMatchObject({
      type: 'permission_error',
      code: 'admin_key_required',
    });
    expect(
      (await server.app.request('/v1/keys', jsonRequest({ name: 'x' }, bearer(alice.secret)))).status,
    ).toBe(403);
    const noName = await server.app.request(
      '/v1/keys',
      jsonRequest({ monthly_budget_usd: 5 }, bearer(admin.secret)),
    );
    expect(noName.status).toBe(400);
    expect((await readError(noName)).error.param).toBe('name');
    const unknown = await server.app.request(
      '/v1/keys',
      jsonRequest({ name: 'x', colour: 'red' }, bearer(admin.secret)),
    );
    expect(unknown.status).toBe(400);
    const badId = await server.app.request('/v1/keys/nope', {
      method: 'DELETE',
      headers: bearer(admin.secret),
    });
    expect((await readError(badId)).error.param).toBe('id');
  });
});

describe('usage, task requests and the task stream are scoped to the caller', () => {
  it("shows a key its own tasks and an admin key everyone's", async () => {
    const { admin, alice, bob } = await keyed();
    await submit(alice.secret);
    await finishTask(server, { modelId: 'gemini-3.1-flash-image-preview', platform: 'gemini-api' });
    await submit(bob.secret);
    const overview = async (secret: string) =>
      readJson(
        await server.app.request('/v1/usage/overview', { headers: bearer(secret) }),
        usageOverviewSchema,
      );
    expect((await overview(alice.secret)).tasks_by_status).toMatchObject({ success: 1, queued: 0 });
    expect((await overview(bob.secret)).tasks_by_status).toMatchObject({ success: 0, queued: 1 });
    const all = await overview(admin.secret);
    expect(all.tasks_by_status).toMatchObject({ success: 1, queued: 1 });
    expect(all.models_in_use[0]).toMatchObject({
      model: 'gemini-3.1-flash-image-preview',
      days_to_shutdown: 15,
    });
    const aliceView = await overview(alice.secret);
    expect(aliceView.month.key.budget_usd).toBe(10);
    const cost = await readJson(
      await server.app.request('/v1/usage/cost?days=7', { headers: bearer(alice.secret) }),
      usageCostSchema,
    );
    expect(cost.by_day).toHaveLength(7);
    expect(cost.by_day.at(-1)?.key).toBe('2026-06-10');
    expect(cost.by_key.map((group) => group.name)).toEqual(['alice']);
    const badDays = await server.app.request('/v1/usage/cost?days=0', { headers: bearer(alice.secret) });
    expect((await readError(badDays)).error.param).toBe('days');
  });

  it("answers a task's request only to its owner", async () => {
    const { alice, bob } = await keyed();
    const task = await submit(alice.secret, 'a red kite');
    const own = await server.app.request(`/v1/tasks/${task.id}/request`, { headers: bearer(alice.secret) });
    expect(await readJson(own, taskRequestSchema)).toMatchObject({
      prompt: 'a red kite',
      model: 'image_fast',
      n: 1,
    });
    expect(
      (await server.app.request(`/v1/tasks/${task.id}/request`, { headers: bearer(bob.secret) })).status,
    ).toBe(404);
  });

  it("streams changes of the caller's tasks only", async () => {
    const { alice, bob } = await keyed();
    const response = await server.app.request('/v1/task-events', { headers: bearer(alice.secret) });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await submit(bob.secret, 'not for alice');
    const mine = await submit(alice.secret, 'for alice');
    const text = await readTextUntil(reader, (sofar) => sofar.includes('event: task'), {
      what: "alice's task event",
      timeoutMs: 10_000,
    }).finally(() => reader.cancel());
    expect(text).toContain(mine.id);
    expect(text).not.toContain('not for alice');
  });
});

describe('image thumbnails and provenance', () => {
  it('makes a WebP thumbnail once, with immutable caching, and refuses other widths naming the field', async () => {
    server = await createTestServer({ clock: onTestDay() });
    expect(
      (await server.app.request('/v1/images/generations', jsonRequest({ prompt: 'a kite' }))).status,
    ).toBe(202);
    const task = await finishTask(server, { modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' });
    const sha = task.result!.images[0]!.sha256;
    const thumbnail = await server.app.request(`/v1/images/${sha}/thumbnail?width=128`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(thumbnail.headers.get('cache-control')).toContain('immutable');
    const again = await server.app.request(`/v1/images/${sha}/thumbnail?width=128`, {
      headers: { 'If-None-Match': thumbnail.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    const bad = await server.app.request(`/v1/images/${sha}/thumbnail?width=100`);
    expect(bad.status).toBe(400);
    expect((await readError(bad)).error.param).toBe('width');
    expect((await server.app.request(`/v1/images/${'0'.repeat(64)}/thumbnail`)).status).toBe(404);
    const provenance = await readJson(
      await server.app.request(`/v1/images/${sha}/provenance`),
      provenanceSchema,
    );
    expect(provenance).toMatchObject({ sha256: sha, width: 16, height: 16 });
  });
});

describe('console hosting', () => {
  it('serves the built console at / with SPA fallback, hashed assets forever, and never shadows the API', async () => {
    const probe = await createTestServer();
    const directory = join(probe.directory, 'console');
    await probe.close();
    await mkdir(join(directory, 'assets'), { recursive: true });
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(join(directory, 'assets', 'index-AbCd1234.js'), 'console.log(1)');
    server = await createTestServer({ withKeys: true, overrides: { consoleDirectory: directory } });
    for (const path of ['/', '/tasks/task_img_1', '/models?at=2026-07-01']) {
      const page = await server.app.request(path);
      expect(await page.text()).toContain('<title>console</title>');
      expect(page.headers.get('cache-control')).toBe('no-cache');
    }
    const asset = await server.app.request('/assets/index-AbCd1234.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect((await server.app.request('/assets/missing-AbCd1234.js')).status).toBe(404);
    expect((await server.app.request('/assets/..%2f..%2f..%2fetc%2fpasswd')).status).toBe(404);
    const api = await server.app.request('/v1/no-such-route');
    expect(api.status).toBe(404);
    expect((await readError(api)).error.code).toBe('route_not_found');
    const document = await readJson(await server.app.request('/openapi.json'), openApiDocumentSchema);
    for (const path of [
      '/v1/lifecycle',
      '/v1/keys',
      '/v1/usage/overview',
      '/v1/usage/cost',
      '/v1/task-events',
      '/v1/tasks/{id}/request',
      '/v1/images/{sha256}/thumbnail',
    ]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
  });
});

describe('/v1/regressions', () => {
  it("validates a new comparison, naming the field, and hides other keys' runs", async () => {
    const clock = onTestDay();
    const database = openSqliteDatabase(':memory:');
    const runs = new RegressionRunStore(database);
    const jobs = new RegressionJobs({
      runs,
      blobs: undefined as never,
      config: configSchema.parse({}),
      env: {},
      clock,
      catalog: builtInCatalog(),
      directory: '/nonexistent',
    });
    server = await createTestServer({ clock, withKeys: true, overrides: { regressions: jobs } });
    const alice = server.keys.create({ name: 'alice' });
    const bob = server.keys.create({ name: 'bob' });
    const empty = await server.app.request(
      '/v1/regressions',
      jsonRequest({ prompts: [], baseline: 'a', candidate: 'b' }, bearer(alice.secret)),
    );
    expect(empty.status).toBe(400);
    expect((await readError(empty)).error.param).toBe('prompts');
    const badRatio = await server.app.request(
      '/v1/regressions',
      jsonRequest(
        { prompts: ['x'], baseline: 'a', candidate: 'b', aspect_ratio: '7:3' },
        bearer(alice.secret),
      ),
    );
    expect((await readError(badRatio)).error.param).toBe('aspect_ratio');
    const run = runs.create({
      id: 'reg_0a1b',
      apiKeyId: alice.record.id,
      input: { prompts: [{ id: 'p-001', prompt: 'x' }], baseline: 'a', candidate: 'b' },
      createdAtMs: clock.nowMs(),
    });
    const own = await server.app.request(`/v1/regressions/${run.id}`, { headers: bearer(alice.secret) });
    expect(await readJson(own, regressionRunSchema)).toMatchObject({
      id: 'reg_0a1b',
      status: 'queued',
      prompts: 1,
      done: 0,
    });
    expect(
      (await server.app.request(`/v1/regressions/${run.id}`, { headers: bearer(bob.secret) })).status,
    ).toBe(404);
    const bobList = await readJson(
      await server.app.request('/v1/regressions', { headers: bearer(bob.secret) }),
      regressionListSchema,
    );
    expect(bobList.data).toEqual([]);
    database.close();
  });
});
