import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Imagegate } from '../../src/client/index.js';
import { clockStartingAt } from '../../src/clock/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { imagegateTaskRunner, TaskWorker } from '../../src/tasks/index.js';
import { createTestServer, jsonRequest, type TestServer } from './server-harness.js';
import { readError, readJson, taskSchema } from '../support/read-json.js';
import { testDayMs } from '../support/test-day.js';

let emulator: RunningEmulator;
let imagegate: Imagegate;
let server: TestServer;
let worker: TaskWorker;

beforeAll(async () => {
  const clock = clockStartingAt(testDayMs);
  emulator = await startEmulator({ clock });
  imagegate = await Imagegate.create({
    config: defaultConfig,
    env: { GEMINI_API_KEY: 'flow', GOOGLE_GEMINI_BASE_URL: emulator.url },
    clock,
  });
  server = await createTestServer({ clock, overrides: { registry: imagegate.registry } });
  worker = new TaskWorker({
    clock,
    store: server.store,
    blobs: server.blobs,
    run: imagegateTaskRunner(imagegate),
    events: server.events,
    pollIntervalMs: 20,
  });
  worker.start();
});
afterAll(async () => {
  await worker.stop({ graceMs: 0 });
  await server.close();
  await imagegate.close();
  await emulator.close();
});

/** Submits a task that is accepted: its body is a task. */
async function submit(body: unknown, query = '') {
  const response = await server.app.request(`/v1/images/generations${query}`, jsonRequest(body));
  return { response, json: await readJson(response, taskSchema) };
}

/** Submits a task that is refused: its body is an error. */
async function submitRefused(body: unknown, query = '') {
  const response = await server.app.request(`/v1/images/generations${query}`, jsonRequest(body));
  return { response, json: await readError(response) };
}

describe('submit, run and wait', () => {
  it('?wait answers 200 with the finished task, its image served by sha256', async () => {
    const { response, json } = await submit(
      { prompt: 'A red kite', aspect_ratio: '16:9', output_format: 'jpeg' },
      '?wait=30',
    );
    expect(response.status).toBe(200);
    expect(json.status).toBe('success');
    expect(json.progress).toBe(100);
    expect(json.served_by?.platform).toBe('gemini-api');
    expect(json.attempts.length).toBeGreaterThanOrEqual(1);
    const image = json.result?.images[0];
    if (!image) throw new Error(`no image in the finished task: ${JSON.stringify(json)}`);
    expect(image.mime_type).toBe('image/jpeg');
    expect(image.width).toBeGreaterThan(image.height);
    const bytes = await server.app.request(image.url);
    expect(bytes.headers.get('content-type')).toBe('image/jpeg');
  });

  it('without ?wait answers 202 at once; the event stream follows the task to the end', async () => {
    const { response, json } = await submit({ prompt: 'A blue kite' });
    expect(response.status).toBe(202);
    const text = await (await server.app.request(`/v1/tasks/${json.id}/events`)).text();
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
    expect(types[0]).toBe('queued');
    expect(types).toContain('processing');
    expect(types.slice(-2)).toEqual(['success', 'task']);
  });

  it('continues a conversation from next_turn_contents', async () => {
    const first = await submit({ prompt: 'A green kite' }, '?wait=30');
    expect(first.json.result?.next_turn_contents).toBeDefined();
    const second = await submit(
      { prompt: 'Now make it yellow', contents: first.json.result?.next_turn_contents },
      '?wait=30',
    );
    expect(second.json.status).toBe('success');
    const stored = await server.store.get(second.json.id);
    expect(stored?.request.history).toEqual(first.json.result?.next_turn_contents);
  });

  it('refuses ?wait above 60 seconds naming the parameter', async () => {
    const { response, json } = await submitRefused({ prompt: 'x' }, '?wait=61');
    expect(response.status).toBe(400);
    expect(json.error.param).toBe('wait');
  });
});
