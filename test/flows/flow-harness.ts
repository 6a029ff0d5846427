import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobStore } from '../../src/blobs/index.js';
import { builtInCatalog } from '../../src/catalog/index.js';
import { Imagegate } from '../../src/client/index.js';
import { ManualClock, systemClock } from '../../src/clock/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import {
  catalogTaskCostEstimator,
  FlowLibrary,
  FlowRunner,
  registryModelNames,
  SqliteFlowStore,
  type FlowRun,
} from '../../src/flows/index.js';
import { GeminiProvider } from '../../src/provider/gemini-provider.js';
import { Registry } from '../../src/registry/index.js';
import {
  imagegateTaskRunner,
  openSqliteDatabase,
  SqliteTaskStore,
  TaskEventHub,
  TaskWorker,
} from '../../src/tasks/index.js';

/**
 * The flow stack on the real path: runner → task store → worker → Imagegate → Gemini SDK → emulator.
 * Lifecycle is judged on a manual clock standing on `judgedAtMs`; polling and leases use the system
 * clock (nothing asserts on time), so the worker and the runner wait for each other without sleeping long.
 */
export const judgedAtMs = Date.UTC(2026, 7, 1);

export function exampleFlow(name: string): string {
  return readFileSync(new URL(`../../docs/examples/flows/${name}`, import.meta.url), 'utf8');
}

export interface FlowHarness {
  emulator: RunningEmulator;
  imagegate: Imagegate;
  stack(name: string): Promise<FlowStack>;
  close(): Promise<void>;
}

export interface FlowStack {
  clock: ManualClock;
  store: SqliteFlowStore;
  tasks: SqliteTaskStore;
  blobs: BlobStore;
  events: TaskEventHub;
  worker: TaskWorker;
  library: FlowLibrary;
  registry: Registry;
  newRunner(): FlowRunner;
  runner: FlowRunner;
  /** Model calls the emulator answered so far, per model ID. */
  calls(): Record<string, number>;
}

export async function flowHarness(): Promise<FlowHarness> {
  const emulator = await startEmulator({ clock: new ManualClock(judgedAtMs) });
  emulator.clock.setNow(judgedAtMs, { frozen: true });
  const clock = new ManualClock(judgedAtMs);
  const imagegate = await Imagegate.create({
    provider: new GeminiProvider({ geminiApi: { apiKey: 'k', baseUrl: emulator.url } }),
    config: defaultConfig,
    clock,
  });
  const folder = await mkdtemp(join(tmpdir(), 'imagegate-flows-'));
  const cleanups: Array<() => Promise<void>> = [];
  return {
    emulator,
    imagegate,
    async stack(name) {
      const databaseFile = join(folder, name, 'tasks.sqlite');
      const database = openSqliteDatabase(databaseFile);
      const tasks = new SqliteTaskStore(database, { closeDatabase: false });
      const blobs = new BlobStore({ directory: join(folder, name, 'blobs') });
      const events = new TaskEventHub();
      const worker = new TaskWorker({
        store: tasks,
        blobs,
        events,
        run: imagegateTaskRunner(imagegate),
        clock: systemClock,
        pollIntervalMs: 5,
        concurrency: 8,
      });
      const store = new SqliteFlowStore(database, { clock });
      const registry = new Registry({ config: defaultConfig, clock });
      const library = new FlowLibrary({
        store,
        config: defaultConfig,
        catalog: builtInCatalog(),
        clock,
        models: registryModelNames(registry),
      });
      const runners: FlowRunner[] = [];
      const newRunner = () => {
        const runner = new FlowRunner({
          store,
          tasks,
          clock: systemClock,
          taskEvents: events,
          onTaskCreated: () => worker.wake(),
          cancelTask: (taskId) => worker.cancel(taskId),
          estimateTaskCost: catalogTaskCostEstimator(registry),
          pollIntervalMs: 5,
        });
        runners.push(runner);
        return runner;
      };
      const runner = newRunner();
      const before = emulator.stats.snapshot().models;
      cleanups.push(async () => {
        await Promise.all(runners.map((entry) => entry.detach()));
        await worker.stop({ graceMs: 0 });
        database.close();
      });
      return {
        clock,
        store,
        tasks,
        blobs,
        events,
        worker,
        library,
        registry,
        newRunner,
        runner,
        calls() {
          const now = emulator.stats.snapshot().models;
          return Object.fromEntries(
            Object.entries(now)
              .map(([model, stats]) => [model, stats.calls - (before[model]?.calls ?? 0)] as const)
              .filter(([, calls]) => calls > 0),
          );
        },
      };
    },
    async close() {
      for (const cleanup of cleanups) await cleanup();
      await imagegate.close();
      await emulator.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Waits for a run to be final, with its own deadline so a hang fails the test instead of stalling it. */
export async function finalRun(runner: FlowRunner, runId: string, deadlineMs = 60_000): Promise<FlowRun> {
  return Promise.race([
    runner.waitForFinal(runId),
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`run ${runId} not final within ${deadlineMs} ms`)),
        deadlineMs,
      ).unref(),
    ),
  ]);
}
