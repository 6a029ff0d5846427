/**
 * Flow overhead: the brand-asset pipeline (text direction → six image variants → output) run as a flow
 * (runner → durable tasks in SQLite → worker → engine → SDK) against the same calls made directly with
 * the SDK at the same concurrency (the text call, then the six image calls at once), alternating, against
 * one zero-latency emulator. Also the scheduling cost per node: a rerun served wholly from the node cache
 * makes no call, so its time is the runner's own bookkeeping.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GoogleGenAI } from '@google/genai';
import { BlobStore } from '../src/blobs/index.js';
import { Imagegate } from '../src/client/index.js';
import { defaultConfig, expandRoute } from '../src/config/index.js';
import { startEmulator } from '../src/emulator/index.js';
import {
  FlowRunner,
  parseFlowInputs,
  SqliteFlowStore,
  validateFlowDocument,
  type FlowDocument,
} from '../src/flows/index.js';
import { GeminiProvider } from '../src/provider/gemini-provider.js';
import {
  imagegateTaskRunner,
  newTaskId,
  type TaskRequest,
  openSqliteDatabase,
  SqliteTaskStore,
  TaskEventHub,
  TaskWorker,
} from '../src/tasks/index.js';

const WARM_UP = 3;
const SAMPLES = 20;

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function percentile(sortedMs: number[], fraction: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1)]!;
}

export async function run(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-bench-flow-'));
  const emulator = await startEmulator();
  const imagegate = await Imagegate.create({
    provider: new GeminiProvider({ geminiApi: { apiKey: 'bench', baseUrl: emulator.url } }),
    config: defaultConfig,
  });
  const stack = (synchronous: 'full' | 'normal') => {
    const database = openSqliteDatabase(join(directory, synchronous, 'tasks.sqlite'), { synchronous });
    const tasks = new SqliteTaskStore(database, { closeDatabase: false });
    const blobs = new BlobStore({ directory: join(directory, synchronous, 'blobs') });
    const events = new TaskEventHub();
    const worker = new TaskWorker({
      store: tasks,
      blobs,
      events,
      run: imagegateTaskRunner(imagegate),
      concurrency: 8,
    });
    const store = new SqliteFlowStore(database);
    const runner = new FlowRunner({ store, tasks, taskEvents: events, onTaskCreated: () => worker.wake() });
    worker.start();
    const waitFor = async (taskId: string) => {
      for (;;) {
        const task = await tasks.get(taskId);
        if (task && ['success', 'failed', 'cancelled'].includes(task.status)) return task;
        await new Promise<void>((resolve) => {
          const unsubscribe = events.subscribe(taskId, () => {
            unsubscribe();
            resolve();
          });
          setTimeout(() => {
            unsubscribe();
            resolve();
          }, 50);
        });
      }
    };
    /** The same seven calls as plain tasks (text, then six images at once), without the flow runner. */
    const tasksOnly = async (brief: string) => {
      const submit = async (
        request: Omit<TaskRequest, 'references' | 'history' | 'outputFormat' | 'imageCount'>,
      ) => {
        const nowMs = Date.now();
        const { task } = await tasks.create({
          id: newTaskId(nowMs),
          request: { outputFormat: 'png', references: [], history: [], imageCount: 1, ...request },
          metadata: {},
          createdAtMs: nowMs,
        });
        worker.wake();
        return task.id;
      };
      const direction = await waitFor(
        await submit({
          model: 'text_fast',
          prompt: `Write the visual direction for this brief: ${brief}`,
          responseModality: 'text',
        }),
      );
      const ids = await Promise.all(
        Array.from({ length: 6 }, (_, variant) =>
          submit({
            model: 'image_fast',
            prompt: direction.result?.text ?? 'x',
            aspectRatio: '1:1',
            imageSize: '1K',
            seed: variant,
          }),
        ),
      );
      const done = await Promise.all(ids.map(waitFor));
      if (done.some((task) => task.status !== 'success')) throw new Error('a task failed');
    };
    return {
      runner,
      tasksOnly,
      close: async () => {
        await runner.detach();
        await worker.stop({ graceMs: 0 });
        database.close();
      },
    };
  };
  const full = stack('full');
  const normal = stack('normal');

  const text = readFileSync(new URL('../docs/examples/flows/brand-assets.yaml', import.meta.url), 'utf8');
  const validation = validateFlowDocument(text, { file: 'brand-assets.yaml' });
  if (!validation.ok) throw new Error('the example flow is invalid');
  const document: FlowDocument = validation.document;
  const inputs = parseFlowInputs(document, { brief: 'a coffee brand for night owls' });

  // The models the flow's primary candidates call, so both paths ask the emulator for the same things.
  const textModel = expandRoute(defaultConfig.routes, 'text_fast').candidates[0]!.model;
  const imageModel = expandRoute(defaultConfig.routes, 'image_fast').candidates[0]!.model;
  const sdk = new GoogleGenAI({
    apiKey: 'bench',
    apiVersion: 'v1beta',
    httpOptions: { baseUrl: emulator.url },
  });
  let sample = 0;

  const direct = async () => {
    const started = performance.now();
    sample += 1;
    const direction = await sdk.models.generateContent({
      model: textModel,
      contents: `Write the visual direction for this brief: a coffee brand for night owls ${sample}`,
      config: { responseModalities: ['TEXT'] },
    });
    const prompt = direction.text ?? 'fallback';
    const images = await Promise.all(
      Array.from({ length: 6 }, (_, variant) =>
        sdk.models.generateContent({
          model: imageModel,
          contents: prompt,
          config: {
            responseModalities: ['TEXT', 'IMAGE'],
            imageConfig: { aspectRatio: '1:1', imageSize: '1K' },
            seed: variant,
          },
        }),
      ),
    );
    if (images.some((image) => !image.candidates?.[0]?.content?.parts?.some((part) => part.inlineData))) {
      throw new Error('no image');
    }
    return performance.now() - started;
  };
  const flowPath = async (runner: FlowRunner, noCache: boolean) => {
    const started = performance.now();
    const begun = await runner.start({ document, inputs, access: {}, noCache });
    const finished = await runner.waitForFinal(begun.id);
    if (finished.status !== 'succeeded')
      throw new Error(`run ended ${finished.status}: ${finished.error?.message}`);
    return performance.now() - started;
  };

  try {
    for (let index = 0; index < WARM_UP; index += 1) {
      await direct();
      await flowPath(full.runner, true);
      await flowPath(normal.runner, true);
    }
    const directMs: number[] = [];
    const tasksFullMs: number[] = [];
    const tasksNormalMs: number[] = [];
    const fullMs: number[] = [];
    const normalMs: number[] = [];
    const cachedFullMs: number[] = [];
    const cachedNormalMs: number[] = [];
    for (let index = 0; index < SAMPLES; index += 1) {
      directMs.push(await direct());
      tasksFullMs.push(await timed(() => full.tasksOnly(`a coffee brand ${index}`)));
      tasksNormalMs.push(await timed(() => normal.tasksOnly(`a coffee brand ${index}`)));
      fullMs.push(await flowPath(full.runner, true));
      normalMs.push(await flowPath(normal.runner, true));
      cachedFullMs.push(await flowPath(full.runner, false));
      cachedNormalMs.push(await flowPath(normal.runner, false));
    }
    for (const list of [directMs, tasksFullMs, tasksNormalMs, fullMs, normalMs, cachedFullMs, cachedNormalMs])
      list.sort((a, b) => a - b);
    const nodes = Object.keys(document.nodes).length;
    console.log(
      `${SAMPLES} samples each, alternating, after ${WARM_UP} warm-up rounds; ${nodes} nodes, 7 model calls`,
    );
    console.log('| path | p50 | p90 | p50 ratio | p90 ratio |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const [label, samples] of [
      ['direct SDK calls, same concurrency (baseline)', directMs],
      ['same calls as tasks, no flow, FULL', tasksFullMs],
      ['flow run, synchronous=FULL (default)', fullMs],
      ['same calls as tasks, no flow, NORMAL', tasksNormalMs],
      ['flow run, synchronous=NORMAL', normalMs],
    ] as const) {
      console.log(
        `| ${label} | ${percentile(samples, 0.5).toFixed(1)} ms | ${percentile(samples, 0.9).toFixed(1)} ms | ${(percentile(samples, 0.5) / percentile(directMs, 0.5)).toFixed(2)}x | ${(percentile(samples, 0.9) / percentile(directMs, 0.9)).toFixed(2)}x |`,
      );
    }
    for (const [label, samples] of [
      ['FULL', cachedFullMs],
      ['NORMAL', cachedNormalMs],
    ] as const) {
      console.log(
        `scheduling per node (rerun from the node cache, no call), ${label}: p50 ${(percentile(samples, 0.5) / nodes).toFixed(2)} ms, p90 ${(percentile(samples, 0.9) / nodes).toFixed(2)} ms`,
      );
    }
  } finally {
    await full.close();
    await normal.close();
    await imagegate.close();
    await emulator.close();
    await rm(directory, { recursive: true, force: true });
  }
}
