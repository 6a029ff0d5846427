import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleGenAI } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchLane } from '../../src/batch/index.js';
import { BlobStore } from '../../src/blobs/index.js';
import { builtInCatalog, findModel } from '../../src/catalog/index.js';
import { clockStartingAt, ManualClock } from '../../src/clock/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { costOfUsage } from '../../src/engine/index.js';
import {
  catalogTaskCostEstimator,
  FlowRunner,
  InvalidFlowError,
  parseFlowInputs,
  SqliteFlowStore,
  validateFlowDocument,
  type FlowDocument,
} from '../../src/flows/index.js';
import { Registry } from '../../src/registry/index.js';
import { openSqliteDatabase, SqliteTaskStore, type TaskRecord } from '../../src/tasks/index.js';
import { finalRun, judgedAtMs } from './flow-harness.js';

const modelId = 'gemini-3.1-flash-image';
const batchDurationMs = 10 * 60_000;
const flowText = `
name: nightly-thumbnails
inputs:
  subject: { type: string }
nodes:
  thumb:
    type: image
    model: ${modelId}
    prompt: 'A thumbnail of {{inputs.subject}}'
    variants: 2
    imageSize: 1K
    lane: batch
  out:
    type: output
    results:
      thumbs: '{{nodes.thumb.images}}'
`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function flowDocument(): FlowDocument {
  const validation = validateFlowDocument(flowText, { file: 'flow.yaml' });
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.document;
}

async function stack(options: { batchLane: boolean }) {
  // The runner, the store and the lane wait for real (short polls) on a fixed calendar day; the emulator's
  // manual clock is moved past the batch job's duration by the test.
  const clock = clockStartingAt(judgedAtMs);
  const emulatorClock = new ManualClock(judgedAtMs);
  const emulator = await startEmulator({ port: 0, clock: emulatorClock, batchDurationMs });
  const folder = await mkdtemp(join(tmpdir(), 'imagegate-flow-batch-'));
  const database = openSqliteDatabase(join(folder, 'tasks.sqlite'));
  cleanups.push(async () => {
    database.close();
    await emulator.close();
    await rm(folder, { recursive: true, force: true });
  });
  const tasks = new SqliteTaskStore(database, { clock, closeDatabase: false });
  const blobs = new BlobStore({ directory: join(folder, 'blobs') });
  const registry = new Registry({ config: defaultConfig, clock });
  const runner = new FlowRunner({
    store: new SqliteFlowStore(database, { clock }),
    tasks,
    clock,
    estimateTaskCost: catalogTaskCostEstimator(registry),
    pollIntervalMs: 5,
    batchLane: options.batchLane,
  });
  cleanups.push(() => runner.detach());
  const lane = new BatchLane({
    database,
    store: tasks,
    blobs,
    registry,
    catalog: builtInCatalog(),
    client: new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: emulator.url, apiVersion: 'v1beta' } }),
    clock,
    gatherWindowMs: 0,
    // Poll at every tick: the test drives the ticks.
    pollBaseMs: 1,
    onError: (error) => {
      throw error;
    },
  });
  return { emulatorClock, emulator, tasks, runner, lane };
}

/** Polls the task store until the run's batch tasks exist, with its own deadline. */
async function queuedBatchTasks(tasks: SqliteTaskStore, count: number): Promise<TaskRecord[]> {
  const deadline = performance.now() + 20_000;
  for (;;) {
    const waiting = await tasks.queuedForBatch(judgedAtMs + 60_000, 100);
    if (waiting.length >= count) return waiting;
    if (performance.now() > deadline) throw new Error(`only ${waiting.length} batch tasks after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a flow image node with lane: batch', () => {
  it('sends its variants through one batch job at the batch price; the run finishes from the results', async () => {
    const { emulatorClock, emulator, tasks, runner, lane } = await stack({ batchLane: true });
    const document = flowDocument();
    const started = await runner.start({
      document,
      inputs: parseFlowInputs(document, { subject: 'a lighthouse' }),
      access: { keyId: 'key_owner' },
    });
    const model = findModel(builtInCatalog(), modelId)!;
    const listPrice = (model.pricing.perImageUsd.value as Record<string, number>)['1K']!;
    // Two variants at the batch price.
    expect(started.estimatedCostUsd).toBeCloseTo(2 * listPrice * 0.5, 12);

    const waiting = await queuedBatchTasks(tasks, 2);
    expect(waiting.map((task) => [task.lane, task.apiKeyId])).toEqual([
      ['batch', 'key_owner'],
      ['batch', 'key_owner'],
    ]);
    await lane.tick();
    expect(lane.jobs.list()).toHaveLength(1);
    emulatorClock.advance(batchDurationMs);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await lane.tick();

    const run = await finalRun(runner, started.id);
    expect(run.status).toBe('succeeded');
    expect(run.result?.thumbs).toHaveLength(2);
    // Only the batch job made model calls: nothing ran online.
    const calls = emulator.stats.snapshot().models[modelId]?.byMethod ?? {};
    expect(calls.generateContent).toBeUndefined();
    expect(calls.batchGenerateContent).toBe(1);
    for (const task of await Promise.all(waiting.map(async (task) => (await tasks.get(task.id))!))) {
      const online = costOfUsage(task.usage!, model);
      if (!('costUsd' in online)) throw new Error(online.missingPrice);
      expect(task.actualCostUsd).toBeCloseTo(online.costUsd / 2, 12);
    }
  });

  it("is refused, naming the node's lane, where no batch lane runs", async () => {
    const { runner } = await stack({ batchLane: false });
    const document = flowDocument();
    const start = () =>
      runner.start({
        document,
        inputs: parseFlowInputs(document, { subject: 'a lighthouse' }),
        access: { keyId: 'key_owner' },
      });
    await expect(start()).rejects.toThrow(InvalidFlowError);
    await expect(start()).rejects.toThrow(/nodes\.thumb\.lane: "batch" needs a batch lane/);
  });
});
