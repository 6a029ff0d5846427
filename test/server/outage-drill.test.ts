/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions, not by types */
import { afterEach, describe, expect, it } from 'vitest';
import { builtInCatalog } from '../../src/catalog/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { configSchema } from '../../src/config/index.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { Engine } from '../../src/engine/index.js';
import { GeminiProvider } from '../../src/provider/gemini-provider.js';
import { Registry } from '../../src/registry/index.js';
import { TaskWorker, type TaskRunner } from '../../src/tasks/index.js';
import { createTestServer, jsonRequest, type TestServer } from './server-harness.js';

const startMs = Date.UTC(2026, 5, 1);
const outageMs = 60_000;
const failureThreshold = 3;
const cooldownMs = 20_000;
const TASK_COUNT = 10;

let emulator: RunningEmulator | undefined;
let server: TestServer | undefined;
let worker: TaskWorker | undefined;
afterEach(async () => {
  await worker?.stop({ graceMs: 0 });
  await server?.close();
  await emulator?.close();
});

/** Lets HTTP calls and store writes that are due complete before the clock moves again. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3));

describe('outage drill', () => {
  it('tasks wait out a 503 outage and finish; upstream calls during it are bounded by the circuit breaker', async () => {
    // One clock for the emulator's outage window, the engine's backoff and breaker, and the worker.
    const clock = new ManualClock(startMs, { autoAdvance: false });
    emulator = await startEmulator({
      clock,
      scenario: parseScenario(
        `outages:\n  - { model: '*', from: '${new Date(startMs).toISOString()}', until: '${new Date(startMs + outageMs).toISOString()}', status: 503 }\n`,
        'outage.yaml',
      ),
    });
    const catalog = builtInCatalog();
    const config = configSchema.parse({ defaults: { retry: { baseDelayMs: 500, maxDelayMs: 2000 } } });
    const registry = new Registry({ config, catalog, clock });
    const engine = new Engine({
      provider: new GeminiProvider({ geminiApi: { apiKey: 'drill', baseUrl: emulator.url }, catalog, clock }),
      clock,
      catalog,
      circuitBreaker: { failureThreshold, cooldownMs },
    });
    const run: TaskRunner = async (request, model, options) => ({
      ...(await engine.run(request, registry.resolve(model), options)),
      requestedModel: model,
    });
    server = await createTestServer({ clock });
    const candidates = registry.resolve('image_fast').candidates.length;

    const ids: string[] = [];
    for (let index = 0; index < TASK_COUNT; index += 1) {
      const response = await server.app.request(
        '/v1/images/generations',
        jsonRequest({ prompt: `drill ${index}` }),
      );
      ids.push(((await response.json()) as any).id);
    }
    worker = new TaskWorker({
      store: server.store,
      blobs: server.blobs,
      run,
      clock,
      concurrency: 1,
      leaseMs: 60_000,
      pollIntervalMs: 250,
      maxTaskRuns: 50,
      retryBaseDelayMs: 5_000,
      maxRetryDelayMs: 15_000,
      events: server.events,
    });
    worker.start();

    const callsDuringOutage = () =>
      Object.values(emulator!.stats.snapshot().models).reduce(
        (sum, model) => sum + (model.byOutcome['503'] ?? 0),
        0,
      );
    let finished = 0;
    while (finished < TASK_COUNT && clock.nowMs() < startMs + 10 * outageMs) {
      clock.advance(250);
      await settle();
      finished = (await server.store.list({ status: 'success', limit: 100 })).tasks.length;
    }

    expect(finished).toBe(TASK_COUNT);
    const tasks = await Promise.all(
      ids.map(async (id) => (await (await server!.app.request(`/v1/tasks/${id}`)).json()) as any),
    );
    for (const task of tasks) {
      expect(task.status).toBe('success');
      expect(task.finished_at * 1000).toBeGreaterThanOrEqual(startMs + outageMs);
    }
    const halfOpenProbes = (Math.ceil(outageMs / cooldownMs) + 1) * candidates;
    expect(callsDuringOutage()).toBeGreaterThanOrEqual(failureThreshold);
    expect(callsDuringOutage()).toBeLessThanOrEqual(failureThreshold * candidates + halfOpenProbes);
  }, 60_000);
});
