import { afterEach, describe, expect, it } from 'vitest';
import { builtInCatalog } from '../../src/catalog/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { configSchema } from '../../src/config/index.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { defaultCircuitBreakerOptions, Engine } from '../../src/engine/index.js';
import { GeminiProvider } from '../../src/provider/gemini-provider.js';
import type { ImageProvider } from '../../src/provider/image-provider.js';
import { Registry } from '../../src/registry/index.js';
import { defaultTaskWorkerConcurrency, TaskWorker, type TaskRunner } from '../../src/tasks/index.js';
import { readJson, taskSchema } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';
import { createTestServer, jsonRequest, type TestServer } from './server-harness.js';

const startMs = Date.UTC(2026, 5, 1);
const outageMs = 60_000;
const TASK_COUNT = 100;
/** The quota: a configured client-side limit, so "the time the quota allows" is known exactly. */
const REQUESTS_PER_MINUTE = 30;
const STEP_MS = 250;

let emulator: RunningEmulator | undefined;
let server: TestServer | undefined;
let worker: TaskWorker | undefined;
afterEach(async () => {
  await worker?.stop({ graceMs: 0 });
  await server?.close();
  await emulator?.close();
});

describe('outage drill', () => {
  it('with default settings, 100 tasks queued as a 60 s outage starts drain within 1.1x the time the quota allows, with at most one probe per cooldown per model', async () => {
    // One clock for the emulator's outage window, the engine's breakers and rate limits, and the worker.
    const clock = new ManualClock(startMs, { autoAdvance: false });
    emulator = await startEmulator({
      clock,
      scenario: parseScenario(
        `outages:\n  - { model: '*', from: '${new Date(startMs).toISOString()}', until: '${new Date(startMs + outageMs).toISOString()}', status: 503 }\n`,
        'outage.yaml',
      ),
    });
    const catalog = builtInCatalog();
    const config = configSchema.parse({
      limits: [{ platform: 'gemini-api', requestsPerMinute: REQUESTS_PER_MINUTE }],
    });
    const registry = new Registry({ config, catalog, clock });
    const gemini = new GeminiProvider({
      geminiApi: { apiKey: 'drill', baseUrl: emulator.url },
      catalog,
      clock,
    });
    // Every upstream call, with its clock time, and how many are in flight (the clock waits for them).
    const calls: Array<{ modelId: string; atMs: number }> = [];
    let inFlight = 0;
    const provider: ImageProvider = {
      generate: async (call) => {
        calls.push({ modelId: call.modelId, atMs: clock.nowMs() });
        inFlight += 1;
        try {
          return await gemini.generate(call);
        } finally {
          inFlight -= 1;
        }
      },
      listModelIds: (platform) => gemini.listModelIds(platform),
    };
    const engine = new Engine({
      provider,
      clock,
      catalog,
      limitsFor: (platform, modelId) => registry.limitsFor(platform, modelId),
    });
    const run: TaskRunner = async (request, options) => ({
      ...(await engine.run(request, registry.resolve(options.model), options)),
      requestedModel: options.model,
    });
    server = await createTestServer({ clock });

    // Submitted as the outage starts.
    const ids: string[] = [];
    for (let index = 0; index < TASK_COUNT; index += 1) {
      const response = await server.app.request(
        '/v1/images/generations',
        jsonRequest({ prompt: `drill ${index}` }),
      );
      ids.push((await readJson(response, taskSchema)).id);
    }
    let finished = 0;
    worker = new TaskWorker({
      store: server.store,
      blobs: server.blobs,
      run,
      clock,
      events: server.events,
      onTaskFinished: () => (finished += 1),
    });
    worker.start();

    /** Lets calls in flight and the store writes after them finish before the clock moves again. */
    const settle = async () => {
      for (let round = 0; round < 3; round += 1) await new Promise((resolve) => setTimeout(resolve, 1));
      await waitUntil(() => inFlight === 0, {
        what: 'the upstream calls in flight to finish',
        timeoutMs: 10_000,
        intervalMs: 1,
      });
    };
    while (finished < TASK_COUNT && clock.nowMs() < startMs + 10 * outageMs) {
      clock.advance(STEP_MS);
      await settle();
    }

    expect(finished).toBe(TASK_COUNT);
    const tasks = await Promise.all(
      ids.map(async (id) => readJson(await server!.app.request(`/v1/tasks/${id}`), taskSchema)),
    );
    const outageEndMs = startMs + outageMs;
    for (const task of tasks) {
      expect(task.status).toBe('success');
      expect((task.finished_at ?? NaN) * 1000).toBeGreaterThanOrEqual(outageEndMs);
    }
    // On this clock a call takes no time, so only the quota bounds the drain: at most RPM calls start in
    // any minute, so the last of N tasks can start (N − 1) / RPM whole minutes after the first.
    const quotaDrainMs = Math.floor((TASK_COUNT - 1) / REQUESTS_PER_MINUTE) * 60_000;
    const lastFinishedMs = Math.max(...tasks.map((task) => (task.finished_at ?? NaN) * 1000));
    expect(lastFinishedMs - outageEndMs).toBeLessThanOrEqual(1.1 * quotaDrainMs);

    // A run refused by open breakers is parked until the next trial, not counted and backed off; while
    // every candidate is open the worker claims only the tasks that were running when they opened, not
    // every queued task.
    const events = (await Promise.all(ids.map((id) => server!.store.eventsAfter(id, 0)))).flat();
    const reschedules = events.filter((event) => event.type === 'rescheduled');
    for (const event of reschedules) {
      expect(event.data.parked).toBe(true);
      expect((event.data.runAfterMs as number) - event.atMs).toBeLessThanOrEqual(
        defaultCircuitBreakerOptions.cooldownMs,
      );
    }
    const claimsDuringOutage = events.filter(
      (event) => event.type === 'processing' && event.atMs >= startMs && event.atMs < outageEndMs,
    ).length;
    expect(reschedules.length).toBeGreaterThan(0);
    // The tasks that were running probe: one claim each per candidate's trial time, every cooldown.
    const candidates = registry.resolve('image_fast').candidates.length;
    expect(claimsDuringOutage).toBeLessThanOrEqual(
      defaultTaskWorkerConcurrency *
        candidates *
        (Math.ceil(outageMs / defaultCircuitBreakerOptions.cooldownMs) + 1),
    );

    // During the outage: per model, the calls that could be out before its circuit opened, then probes
    // at least one cooldown apart.
    const { failureThreshold, cooldownMs } = defaultCircuitBreakerOptions;
    const duringOutage = calls.filter((call) => call.atMs >= startMs && call.atMs < outageEndMs);
    const models = new Set(duringOutage.map((call) => call.modelId));
    expect(models.size).toBeGreaterThan(0);
    for (const modelId of models) {
      const times = duringOutage.filter((call) => call.modelId === modelId).map((call) => call.atMs);
      const probes = times.slice(failureThreshold + defaultTaskWorkerConcurrency - 1);
      for (let index = 1; index < probes.length; index += 1) {
        expect(probes[index]! - probes[index - 1]!).toBeGreaterThanOrEqual(cooldownMs);
      }
      expect(times.length).toBeLessThanOrEqual(
        failureThreshold + defaultTaskWorkerConcurrency - 1 + Math.ceil(outageMs / cooldownMs),
      );
    }
  }, 180_000);
});
