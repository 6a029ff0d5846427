import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInCatalog, findModel, knownValue } from '../../src/catalog/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { logicalModelSchema } from '../../src/server/api-schemas.js';
import { estimateImageCostUsd } from '../../src/tools/cost/index.js';
import {
  deprecationListSchema,
  fileSchema,
  healthSchema,
  modelListSchema,
  modelOrLogicalSchema,
  openApiDocumentSchema,
  readError,
  readJson,
  taskPageSchema,
  taskSchema,
} from '../support/read-json.js';
import { parseSse } from '../support/parse-sse.js';
import { createTestServer, finishTask, jsonRequest, pngBytes, type TestServer } from './server-harness.js';

const may2026 = Date.UTC(2026, 4, 1, 12);

let server: TestServer;
beforeEach(async () => {
  server = await createTestServer({ clock: new ManualClock(may2026) });
});
afterEach(async () => {
  await server.close();
});

/** Submits a task that is accepted: its body is a task. */
async function submit(body: unknown, headers: Record<string, string> = {}) {
  const response = await server.app.request('/v1/images/generations', jsonRequest(body, headers));
  return { response, json: await readJson(response, taskSchema) };
}

/** Submits a task that is refused: its body is an error. */
async function submitRefused(body: unknown, headers: Record<string, string> = {}) {
  const response = await server.app.request('/v1/images/generations', jsonRequest(body, headers));
  return { response, json: await readError(response) };
}

function dataUrl(bytes: Buffer, mime = 'image/png'): string {
  return `data:${mime};base64,${bytes.toString('base64')}`;
}

describe('POST /v1/images/generations', () => {
  it('answers 202 with a queued task and its location', async () => {
    const { response, json } = await submit({
      model: 'image_fast',
      prompt: 'A lighthouse',
      metadata: { order: '7' },
    });
    expect(response.status).toBe(202);
    expect(json).toMatchObject({
      object: 'generation.task',
      model: 'image_fast',
      status: 'queued',
      progress: 0,
      created_at: Math.floor(may2026 / 1000),
      metadata: { order: '7' },
      result: null,
      error: null,
    });
    expect(json.id).toMatch(/^task_img_[0-9A-Z]{26}$/);
    expect(response.headers.get('location')).toBe(`/v1/tasks/${json.id}`);
    const stored = await server.store.get(json.id);
    expect(stored?.request).toMatchObject({
      model: 'image_fast',
      prompt: 'A lighthouse',
      outputFormat: 'png',
      imageCount: 1,
    });
  });

  it('takes the aliases task-style APIs use: size, resolution, reference_images', async () => {
    const reference = dataUrl(await pngBytes());
    const { response, json } = await submit({
      prompt: 'Make it blue',
      size: '16:9',
      resolution: '2K',
      reference_images: [reference],
    });
    expect(response.status).toBe(202);
    const stored = await server.store.get(json.id);
    expect(stored?.request.aspectRatio).toBe('16:9');
    expect(stored?.request.imageSize).toBe('2K');
    expect(stored?.request.references).toHaveLength(1);
    expect(await server.blobs.has(stored!.request.references[0]!.sha256)).toBe(true);
  });

  it('refuses an alias that disagrees with its canonical field', async () => {
    const { response, json } = await submitRefused({ prompt: 'x', aspect_ratio: '1:1', size: '16:9' });
    expect(response.status).toBe(400);
    expect(json.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'conflicting_fields',
      param: 'size',
    });
  });

  it('names aspect_ratio and its allowed values for an unknown ratio', async () => {
    const { response, json } = await submitRefused({ prompt: 'x', aspect_ratio: '7:3' });
    expect(response.status).toBe(400);
    expect(json.error.param).toBe('aspect_ratio');
    expect(json.error.message).toContain('"7:3"');
    expect(json.error.message).toContain('"16:9"');
  });

  it.each([
    [{}, 'prompt', 'missing_field'],
    [{ prompt: 'x', colour: 'red' }, 'colour', 'unknown_field'],
    [{ prompt: 'x', n: 9 }, 'n', 'invalid_value'],
    [{ prompt: 'x', output_format: 'gif' }, 'output_format', 'invalid_value'],
    [{ prompt: 'x', webhook_url: 'ftp://example.com/hook' }, 'webhook_url', 'invalid_value'],
    [{ prompt: 'x', metadata: { order: 7 } }, 'metadata.order', 'invalid_value'],
  ])('400 for %j names %s', async (body, param, code) => {
    const { response, json } = await submitRefused(body);
    expect(response.status).toBe(400);
    expect(json.error).toMatchObject({ type: 'invalid_request_error', param, code });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await server.app.request('/v1/images/generations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"prompt": ',
    });
    expect(response.status).toBe(400);
    expect((await readError(response)).error.type).toBe('invalid_request_error');
  });

  it('refuses an unknown model with the nearest known names', async () => {
    const { response, json } = await submitRefused({ model: 'image_fsat', prompt: 'x' });
    expect(response.status).toBe(404);
    expect(json.error).toMatchObject({ param: 'model', code: 'model_not_found' });
    expect(json.error.message).toContain('"image_fast"');
  });

  it('resolves reference file ids, and names the entry that is wrong', async () => {
    const upload = await server.app.request('/v1/files', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(await pngBytes()),
    });
    const file = await readJson(upload, fileSchema);
    const ok = await submit({ prompt: 'x', images: [file.id] });
    expect(ok.response.status).toBe(202);
    expect((await server.store.get(ok.json.id))?.request.references).toEqual([
      { sha256: file.sha256, mimeType: 'image/png' },
    ]);

    const missing = await submitRefused({ prompt: 'x', images: [file.id, `file_${'0'.repeat(64)}`] });
    expect(missing.response.status).toBe(400);
    expect(missing.json.error).toMatchObject({ param: 'images[1]', code: 'unknown_file' });

    const notImage = await submitRefused({
      prompt: 'x',
      images: [dataUrl(Buffer.from('hello'), 'text/plain')],
    });
    expect(notImage.json.error).toMatchObject({ param: 'images[0]', code: 'unsupported_media' });

    const gibberish = await submitRefused({ prompt: 'x', images: ['not a reference'] });
    expect(gibberish.json.error).toMatchObject({ param: 'images[0]', code: 'invalid_value' });
  });

  it('refuses reference URLs that point inside the network', async () => {
    const { response, json } = await submitRefused({ prompt: 'x', images: ['http://127.0.0.1:9/cat.png'] });
    expect(response.status).toBe(400);
    expect(json.error).toMatchObject({ param: 'images[0]', code: 'url_not_allowed' });
  });

  it('returns the same task for the same Idempotency-Key and body, and 409 for another body', async () => {
    const first = await submit({ prompt: 'once', size: '3:2' }, { 'Idempotency-Key': 'abc' });
    const again = await submit({ prompt: 'once', aspect_ratio: '3:2' }, { 'Idempotency-Key': 'abc' });
    expect(again.response.status).toBe(202);
    expect(again.json.id).toBe(first.json.id);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    const other = await submitRefused({ prompt: 'twice' }, { 'Idempotency-Key': 'abc' });
    expect(other.response.status).toBe(409);
    expect(other.json.error).toMatchObject({ type: 'conflict_error', code: 'idempotency_key_reused' });
    expect((await server.store.list({})).tasks).toHaveLength(1);
  });

  it('forgets an Idempotency-Key after 24 hours', async () => {
    const clock = server.clock as ManualClock;
    const first = await submit({ prompt: 'once' }, { 'Idempotency-Key': 'k' });
    clock.advance(24 * 60 * 60 * 1000 + 1);
    const later = await submit({ prompt: 'once' }, { 'Idempotency-Key': 'k' });
    expect(later.json.id).not.toBe(first.json.id);
  });
});

describe('tasks', () => {
  it('GET /v1/tasks/{id} shows the result, usage, cost, served_by and deprecation headers', async () => {
    const { json } = await submit({ model: 'image_quality', prompt: 'x' });
    await finishTask(server, { modelId: 'gemini-3-pro-image-preview', platform: 'gemini-api' });
    const response = await server.app.request(`/v1/tasks/${json.id}`);
    expect(response.status).toBe(200);
    const task = await readJson(response, taskSchema);
    expect(task.status).toBe('success');
    expect(task.served_by).toEqual({ model: 'gemini-3-pro-image-preview', platform: 'gemini-api' });
    expect(task.result?.images[0]).toMatchObject({ mime_type: 'image/png', width: 16, height: 16 });
    expect(task.result?.images[0]?.url).toBe(`/v1/images/${task.result?.images[0]?.sha256}`);
    expect(task.result?.next_turn_contents).toEqual([{ role: 'model', parts: [{ text: 'here you go' }] }]);
    const primary = findModel(builtInCatalog(), 'gemini-3-pro-image')!;
    const listPrice = estimateImageCostUsd({
      model: primary,
      imageSize: knownValue(primary.capabilities.defaultImageSize)!,
      imageCount: 1,
    });
    expect(task.cost).toEqual({
      estimated_usd: 'costUsd' in listPrice ? listPrice.costUsd : null,
      actual_usd: null,
    });
    expect(response.headers.get('sunset')).toBe('Thu, 25 Jun 2026 00:00:00 GMT');
    expect(response.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(response.headers.get('link')).toContain(
      '</v1/models/gemini-3-pro-image>; rel="successor-version"',
    );
  });

  it('a task served by a model with no shutdown date carries no Deprecation header', async () => {
    const { json } = await submit({ prompt: 'x' });
    await finishTask(server, { modelId: 'gemini-3-pro-image', platform: 'gemini-api' });
    const response = await server.app.request(`/v1/tasks/${json.id}`);
    expect(response.headers.get('deprecation')).toBeNull();
    expect(response.headers.get('sunset')).toBeNull();
  });

  it('404 for an unknown task, 400 for a malformed id', async () => {
    const unknown = await server.app.request(`/v1/tasks/task_img_${'0'.repeat(26)}`);
    expect(unknown.status).toBe(404);
    expect((await readError(unknown)).error.type).toBe('not_found_error');
    const malformed = await server.app.request('/v1/tasks/nope');
    expect(malformed.status).toBe(400);
    expect((await readError(malformed)).error.param).toBe('id');
  });

  it('lists newest first with filters and cursor pagination', async () => {
    const clock = server.clock as ManualClock;
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      ids.push((await submit({ prompt: `p${index}` })).json.id);
      clock.advance(1000);
    }
    await finishTask(server, { modelId: 'gemini-3-pro-image', platform: 'gemini-api' });
    const first = await readJson(await server.app.request('/v1/tasks?limit=2'), taskPageSchema);
    expect(first.data.map((task) => task.id)).toEqual([ids[4], ids[3]]);
    expect(first.has_more).toBe(true);
    const second = await readJson(
      await server.app.request(`/v1/tasks?limit=2&cursor=${first.next_cursor}`),
      taskPageSchema,
    );
    expect(second.data.map((task) => task.id)).toEqual([ids[2], ids[1]]);
    const succeeded = await readJson(await server.app.request('/v1/tasks?status=success'), taskPageSchema);
    expect(succeeded.data.map((task) => task.id)).toEqual([ids[0]]);
    const badStatus = await server.app.request('/v1/tasks?status=done');
    expect(badStatus.status).toBe(400);
    expect((await readError(badStatus)).error.param).toBe('status');
    const badCursor = await server.app.request('/v1/tasks?cursor=zzz');
    expect(badCursor.status).toBe(400);
    expect((await readError(badCursor)).error.param).toBe('cursor');
  });

  it('cancels a queued task, and answers 409 for a task already final', async () => {
    const { json } = await submit({ prompt: 'x' });
    const cancelled = await server.app.request(`/v1/tasks/${json.id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect((await readJson(cancelled, taskSchema)).status).toBe('cancelled');
    const again = await server.app.request(`/v1/tasks/${json.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await readError(again)).error.code).toBe('task_already_final');
  });

  it('streams events as SSE, resumes after Last-Event-ID and ends with the final task', async () => {
    const { json } = await submit({ prompt: 'x' });
    await finishTask(server, { modelId: 'gemini-3-pro-image', platform: 'gemini-api' });
    const response = await server.app.request(`/v1/tasks/${json.id}/events`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const frames = parseSse(await response.text());
    expect(frames.map((frame) => frame.event)).toEqual(['queued', 'processing', 'success', 'task']);
    expect(frames.slice(0, 3).map((frame) => frame.id)).toEqual(['1', '2', '3']);
    expect(JSON.parse(frames[3]!.data).status).toBe('success');

    const resumed = await server.app.request(`/v1/tasks/${json.id}/events`, {
      headers: { 'Last-Event-ID': '2' },
    });
    expect(parseSse(await resumed.text()).map((frame) => frame.event)).toEqual(['success', 'task']);
  });

  it('keeps a stream open until the task finishes', async () => {
    const { json } = await submit({ prompt: 'x' });
    const streamed = Promise.resolve(server.app.request(`/v1/tasks/${json.id}/events`)).then((response) =>
      response.text(),
    );
    await finishTask(server, { modelId: 'gemini-3-pro-image', platform: 'gemini-api' });
    expect(parseSse(await streamed).map((frame) => frame.event)).toContain('success');
  });
});

describe('images and files', () => {
  it('serves images by sha256 with immutable caching and ETag', async () => {
    const stored = await server.blobs.put(await pngBytes(), 'image/png');
    // Stored behind the API's back, the image is nobody's yet: unreachable until its owner is recorded.
    expect((await server.app.request(`/v1/images/${stored.sha256}`)).status).toBe(404);
    server.owners.add(stored.sha256, undefined);
    const response = await server.app.request(`/v1/images/${stored.sha256}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('etag')).toBe(`"${stored.sha256}"`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await response.arrayBuffer()).equals(await pngBytes())).toBe(true);
    const cached = await server.app.request(`/v1/images/${stored.sha256}`, {
      headers: { 'If-None-Match': `"${stored.sha256}"` },
    });
    expect(cached.status).toBe(304);
    expect((await server.app.request(`/v1/images/${'a'.repeat(64)}`)).status).toBe(404);
    // 304 only for an image that exists: a made-up hash with its own ETag is still a 404.
    const missing = await server.app.request(`/v1/images/${'b'.repeat(64)}`, {
      headers: { 'If-None-Match': `"${'b'.repeat(64)}"` },
    });
    expect(missing.status).toBe(404);
    expect((await server.app.request('/v1/images/xyz')).status).toBe(400);
    expect((await server.app.request('/v1/images/..%2F..%2Fimagegate.db')).status).toBe(400);
  });

  it('uploads multipart and raw files, sniffing the type from the bytes', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await pngBytes())]), 'photo.jpg');
    const multipart = await server.app.request('/v1/files', { method: 'POST', body: form });
    expect(multipart.status).toBe(201);
    const file = await readJson(multipart, fileSchema);
    expect(file).toMatchObject({ object: 'file', mime_type: 'image/png' });
    expect(file.id).toBe(`file_${file.sha256}`);

    const text = await server.app.request('/v1/files', { method: 'POST', body: 'just text' });
    expect(text.status).toBe(400);
    expect((await readError(text)).error).toMatchObject({ param: 'file', code: 'unsupported_media' });
    const empty = new FormData();
    empty.append('other', 'x');
    const noFile = await server.app.request('/v1/files', { method: 'POST', body: empty });
    expect((await readError(noFile)).error).toMatchObject({ param: 'file', code: 'missing_field' });
  });

  it('answers 413 for an image over the upload limit', async () => {
    const small = await createTestServer({ config: { server: { maxUploadImageBytes: 100 } } });
    try {
      const response = await small.app.request('/v1/files', {
        method: 'POST',
        body: new Uint8Array(await pngBytes(64, 64)),
      });
      expect(response.status).toBe(413);
      expect((await readError(response)).error).toMatchObject({
        type: 'request_too_large',
        param: 'file',
      });
      const reference = await small.app.request(
        '/v1/images/generations',
        jsonRequest({ prompt: 'x', images: [dataUrl(await pngBytes(64, 64))] }),
      );
      expect(reference.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

describe('models', () => {
  it('lists catalog models with lifecycle and the logical names', async () => {
    const body = await readJson(await server.app.request('/v1/models'), modelListSchema);
    const preview = body.data.find((model) => model.id === 'gemini-3-pro-image-preview');
    expect(preview?.aliases).toContain('nano-banana-pro-preview');
    expect(preview?.lifecycle.find((entry) => entry.platform === 'gemini-api')).toMatchObject({
      shutdown_date: '2026-06-25',
      successor: 'gemini-3-pro-image',
      is_retired: false,
    });
    expect(body.logical_names.map((name) => name.id)).toEqual(['image_fast', 'image_quality', 'text_fast']);
  });

  it('gets a model by alias with Sunset headers, a logical name with its route, and 404 otherwise', async () => {
    const byAlias = await server.app.request('/v1/models/nano-banana-pro-preview');
    expect((await readJson(byAlias, modelOrLogicalSchema)).id).toBe('gemini-3-pro-image-preview');
    expect(byAlias.headers.get('sunset')).toBe('Thu, 25 Jun 2026 00:00:00 GMT');
    const logical = await readJson(await server.app.request('/v1/models/image_fast'), logicalModelSchema);
    expect(logical.object).toBe('logical_model');
    expect(logical.candidates.length).toBeGreaterThan(0);
    const unknown = await server.app.request('/v1/models/gemini-9');
    expect(unknown.status).toBe(404);
    expect((await readError(unknown)).error.code).toBe('model_not_found');
  });

  it('lists deprecations soonest first with the logical names that use them', async () => {
    const body = await readJson(await server.app.request('/v1/models/deprecations'), deprecationListSchema);
    const dates = body.data.map((row) => row.shutdown_date);
    expect(dates).toEqual([...dates].sort());
    expect(body.data.some((row) => row.model === 'gemini-3-pro-image-preview')).toBe(true);
    expect(body.data.every((row) => Array.isArray(row.used_by))).toBe(true);
    expect(body.guard.findings.map((finding) => finding.model)).toContain('gemini-3-pro-image');
  });
});

describe('documents and health', () => {
  it('serves an OpenAPI 3.1 document covering every endpoint, and a docs page', async () => {
    const document = await readJson(await server.app.request('/openapi.json'), openApiDocumentSchema);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/images/generations',
        '/v1/tasks',
        '/v1/tasks/{id}',
        '/v1/tasks/{id}/cancel',
        '/v1/tasks/{id}/events',
        '/v1/images/{sha256}',
        '/v1/files',
        '/v1/models',
        '/v1/models/deprecations',
        '/v1/models/{name}',
        '/healthz',
      ]),
    );
    const docs = await server.app.request('/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toContain('/v1/images/generations');
  });

  it('answers /healthz, and 404 in the error shape for unknown routes', async () => {
    expect((await readJson(await server.app.request('/healthz'), healthSchema)).status).toBe('ok');
    const missing = await server.app.request('/v2/nothing');
    expect(missing.status).toBe(404);
    expect((await readError(missing)).error.type).toBe('not_found_error');
  });
});

describe('auth', () => {
  it('401 without a key when keys are required; /healthz stays open; 429 with Retry-After over the limit', async () => {
    const guarded = await createTestServer({ withKeys: true, config: { server: { requireApiKey: true } } });
    try {
      const anonymous = await guarded.app.request('/v1/tasks');
      expect(anonymous.status).toBe(401);
      expect((await readError(anonymous)).error.type).toBe('authentication_error');
      expect((await guarded.app.request('/healthz')).status).toBe(200);
      const { secret } = guarded.keys.create({ name: 'ci', rateLimitPerMinute: 1 });
      const headers = { Authorization: `Bearer ${secret}` };
      const created = await guarded.app.request(
        '/v1/images/generations',
        jsonRequest({ prompt: 'x' }, headers),
      );
      expect(created.status).toBe(202);
      const limited = await guarded.app.request('/v1/tasks', { headers });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await readError(limited)).error.type).toBe('rate_limit_exceeded');
    } finally {
      await guarded.close();
    }
  });

  it('refuses a submission over the key monthly budget with 429 until the month renews', async () => {
    const budgeted = await createTestServer({
      withKeys: true,
      clock: new ManualClock(Date.UTC(2026, 4, 31, 23, 59, 0)),
    });
    try {
      const primary = findModel(builtInCatalog(), 'gemini-3.1-flash-image')!;
      const perImage = knownValue(primary.pricing.perImageUsd)!['1K']!;
      const headers = {
        Authorization: `Bearer ${budgeted.keys.create({ name: 'tight', monthlyBudgetUsd: perImage * 1.5 }).secret}`,
      };
      const first = await budgeted.app.request(
        '/v1/images/generations',
        jsonRequest({ prompt: 'x', image_size: '1K' }, headers),
      );
      expect(first.status).toBe(202);
      const second = await budgeted.app.request(
        '/v1/images/generations',
        jsonRequest({ prompt: 'y', image_size: '1K' }, headers),
      );
      expect(second.status).toBe(429);
      expect((await readError(second)).error).toMatchObject({
        type: 'rate_limit_exceeded',
        code: 'monthly_budget_exceeded',
      });
      expect(second.headers.get('retry-after')).toBe('60');
    } finally {
      await budgeted.close();
    }
  });

  it('answers a retried submit with its task even once the first one spent the budget', async () => {
    const budgeted = await createTestServer({
      withKeys: true,
      clock: new ManualClock(Date.UTC(2026, 4, 10, 12, 0, 0)),
    });
    try {
      const primary = findModel(builtInCatalog(), 'gemini-3.1-flash-image')!;
      const perImage = knownValue(primary.pricing.perImageUsd)!['1K']!;
      const headers = {
        Authorization: `Bearer ${budgeted.keys.create({ name: 'tight', monthlyBudgetUsd: perImage * 1.5 }).secret}`,
        'Idempotency-Key': 'order-7',
      };
      const body = { prompt: 'once', image_size: '1K' };
      const first = await budgeted.app.request('/v1/images/generations', jsonRequest(body, headers));
      expect(first.status).toBe(202);
      const retried = await budgeted.app.request('/v1/images/generations', jsonRequest(body, headers));
      expect(retried.status).toBe(202);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect((await readJson(retried, taskSchema)).id).toBe((await readJson(first, taskSchema)).id);
      const conflicting = await budgeted.app.request(
        '/v1/images/generations',
        jsonRequest({ prompt: 'twice', image_size: '1K' }, headers),
      );
      expect(conflicting.status).toBe(409);
      expect((await budgeted.store.list({})).tasks).toHaveLength(1);
    } finally {
      await budgeted.close();
    }
  });

  it('a key sees only its own tasks', async () => {
    const keyed = await createTestServer({ withKeys: true });
    try {
      const alice = `Bearer ${keyed.keys.create({ name: 'alice' }).secret}`;
      const bob = `Bearer ${keyed.keys.create({ name: 'bob' }).secret}`;
      const created = await keyed.app.request(
        '/v1/images/generations',
        jsonRequest({ prompt: 'x' }, { Authorization: alice }),
      );
      const { id } = await readJson(created, taskSchema);
      expect((await keyed.app.request(`/v1/tasks/${id}`, { headers: { Authorization: alice } })).status).toBe(
        200,
      );
      expect((await keyed.app.request(`/v1/tasks/${id}`, { headers: { Authorization: bob } })).status).toBe(
        404,
      );
      const bobsList = await readJson(
        await keyed.app.request('/v1/tasks', { headers: { Authorization: bob } }),
        taskPageSchema,
      );
      expect(bobsList.data).toEqual([]);
    } finally {
      await keyed.close();
    }
  });
});
