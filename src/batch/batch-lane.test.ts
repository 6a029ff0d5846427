import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleGenAI } from '@google/genai';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../blobs/index.js';
import { builtInCatalog, findModel } from '../catalog/index.js';
import { Imagegate } from '../client/index.js';
import { ManualClock } from '../clock/index.js';
import { defaultConfig } from '../config/index.js';
import {
  scenarioSchema,
  startEmulator,
  type RunningEmulator,
  type ScenarioInput,
} from '../emulator/index.js';
import { costOfUsage } from '../engine/index.js';
import { Registry } from '../registry/index.js';
import {
  batchLaneOnlineWarning,
  imagegateTaskRunner,
  newTaskId,
  openSqliteDatabase,
  SqliteTaskStore,
  TaskWorker,
  type TaskRecord,
} from '../tasks/index.js';
import { batchDeadline } from './batch-deadline.js';
import { BatchLane, type BatchLaneOptions } from './batch-lane.js';

/** An instant when the batch model is served; nothing reads today's date. */
const startMs = Date.UTC(2026, 3, 1, 12);
const modelId = 'gemini-3.1-flash-image-preview';
const batchDurationMs = 10 * 60_000;

interface Harness {
  clock: ManualClock;
  emulator: RunningEmulator;
  database: Database.Database;
  databasePath: string;
  store: SqliteTaskStore;
  blobs: BlobStore;
  registry: Registry;
  client: GoogleGenAI;
  lane(options?: Partial<BatchLaneOptions>): BatchLane;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(
  emulatorOptions: {
    expireBatches?: boolean;
    batchResultDownloadFailures?: number;
    batchDurationMs?: number;
    scenario?: ScenarioInput;
  } = {},
): Promise<Harness> {
  const clock = new ManualClock(startMs);
  const { scenario, ...options } = emulatorOptions;
  const emulator = await startEmulator({
    port: 0,
    clock,
    batchDurationMs,
    ...options,
    ...(scenario ? { scenario: scenarioSchema.parse(scenario) } : {}),
  });
  const folder = await mkdtemp(join(tmpdir(), 'imagegate-batch-'));
  const databasePath = join(folder, 'tasks.db');
  const database = openSqliteDatabase(databasePath);
  const store = new SqliteTaskStore(database, { clock, closeDatabase: false });
  const blobs = new BlobStore({ directory: join(folder, 'blobs') });
  const registry = new Registry({ config: defaultConfig, clock });
  const client = new GoogleGenAI({
    apiKey: 'batch-key',
    httpOptions: { baseUrl: emulator.url, apiVersion: 'v1beta' },
  });
  cleanups.push(async () => {
    database.close();
    await emulator.close();
    await rm(folder, { recursive: true, force: true });
  });
  return {
    clock,
    emulator,
    database,
    databasePath,
    store,
    blobs,
    registry,
    client,
    lane: (options = {}) =>
      new BatchLane({
        database,
        store,
        blobs,
        registry,
        catalog: builtInCatalog(),
        client,
        clock,
        maxTasksPerJob: 4,
        gatherWindowMs: 60_000,
        pollBaseMs: 30_000,
        onError: (error) => {
          throw error;
        },
        ...options,
      }),
  };
}

async function submitBatchTasks(
  h: Harness,
  count: number,
  overrides: Partial<TaskRecord['request']> = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const nowMs = h.clock.nowMs();
    const window = batchDeadline(nowMs);
    if ('error' in window) throw new Error(window.error);
    const { task } = await h.store.create({
      id: newTaskId(nowMs),
      request: {
        model: modelId,
        prompt: `a lighthouse, variant ${index}`,
        outputFormat: 'png',
        references: [],
        history: [],
        imageCount: 1,
        ...overrides,
      },
      metadata: {},
      createdAtMs: nowMs,
      batch: window,
    });
    ids.push(task.id);
    h.clock.advance(1);
  }
  return ids;
}

async function onlineWorker(h: Harness): Promise<TaskWorker> {
  const imagegate = await Imagegate.create({
    config: defaultConfig,
    env: { GEMINI_API_KEY: 'online-key', GOOGLE_GEMINI_BASE_URL: h.emulator.url },
    clock: h.clock,
  });
  cleanups.push(() => imagegate.close());
  return new TaskWorker({
    store: h.store,
    blobs: h.blobs,
    clock: h.clock,
    run: imagegateTaskRunner(imagegate),
  });
}

async function tasksOf(h: Harness, ids: string[]): Promise<TaskRecord[]> {
  return Promise.all(ids.map(async (id) => (await h.store.get(id))!));
}

describe('BatchLane against the emulator through @google/genai', () => {
  it('gathers 10 tasks into 3 jobs of at most 4 and finishes all with images at half the online price', async () => {
    const h = await harness();
    const ids = await submitBatchTasks(h, 10);
    const worker = new TaskWorker({
      store: h.store,
      blobs: h.blobs,
      clock: h.clock,
      run: () => Promise.reject(new Error('no task may run online here')),
    });
    expect(await worker.runOnce()).toBeUndefined();

    const lane = h.lane();
    await lane.tick();
    // Two full jobs at once; the last two tasks wait for the gathering window.
    expect(lane.jobs.list()).toHaveLength(2);
    h.clock.advance(60_000);
    await lane.tick();
    const jobs = lane.jobs.list();
    expect(jobs.map((job) => job.counts.pending).sort()).toEqual([2, 4, 4]);
    expect(lane.jobs.itemCounts()).toEqual({ pending: 10, succeeded: 0, failed: 0, retried: 0, online: 0 });
    const upstream: string[] = [];
    for await (const job of await h.client.batches.list()) upstream.push(job.name ?? '');
    expect(upstream.sort()).toEqual(jobs.map((job) => job.name).sort());

    h.clock.advance(batchDurationMs);
    await lane.tick();
    const tasks = await tasksOf(h, ids);
    const model = findModel(builtInCatalog(), modelId)!;
    for (const task of tasks) {
      expect(task.status).toBe('success');
      expect(task.result?.images).toHaveLength(1);
      expect(await h.blobs.has(task.result!.images[0]!.sha256)).toBe(true);
      const online = costOfUsage(task.usage!, model);
      if (!('costUsd' in online)) throw new Error(online.missingPrice);
      expect(online.costUsd).toBeGreaterThan(0);
      expect(task.actualCostUsd).toBeCloseTo(online.costUsd / 2, 12);
    }
    expect(lane.jobs.list().map((job) => [job.finished, job.counts.succeeded])).toEqual(
      expect.arrayContaining([
        [true, 2],
        [true, 4],
      ]),
    );
    expect(lane.jobs.itemCounts()).toEqual({ pending: 0, succeeded: 10, failed: 0, retried: 0, online: 0 });
    expect(lane.jobs.list().map((job) => job.state)).toEqual([
      'JOB_STATE_SUCCEEDED',
      'JOB_STATE_SUCCEEDED',
      'JOB_STATE_SUCCEEDED',
    ]);
  });

  it("moves an EXPIRED job's tasks to the online lane, where a worker finishes them", async () => {
    const h = await harness({ expireBatches: true });
    const ids = await submitBatchTasks(h, 4);
    const lane = h.lane();
    await lane.tick();
    expect(lane.jobs.list()[0]?.counts.pending).toBe(4);
    h.clock.advance(batchDurationMs);
    await lane.tick();
    expect(lane.jobs.list()[0]).toMatchObject({ state: 'JOB_STATE_EXPIRED', finished: true });
    expect(lane.jobs.list()[0]?.counts.online).toBe(4);

    const worker = await onlineWorker(h);
    for (let run = 0; run < ids.length; run += 1) expect(await worker.runOnce()).toBeDefined();
    for (const task of await tasksOf(h, ids)) {
      expect(task.status).toBe('success');
      expect(task.lane).toBe('batch');
      expect(task.result?.images).toHaveLength(1);
      expect(task.warnings).toContain(batchLaneOnlineWarning);
      // Online, at the online price.
      const online = costOfUsage(task.usage!, findModel(builtInCatalog(), modelId)!);
      expect(task.actualCostUsd).toBe('costUsd' in online ? online.costUsd : undefined);
    }
  });

  it('retries a transiently failed item in a later job, at the batch price, and finishes the rest at once', async () => {
    const h = await harness({
      scenario: { batches: { itemErrors: [{ pattern: 'variant 1$', status: 503, times: 1 }] } },
    });
    const [first, flaky] = await submitBatchTasks(h, 2);
    const lane = h.lane();
    h.clock.advance(60_000);
    await lane.tick();
    h.clock.advance(batchDurationMs);
    // Maps the first job (one success, one 503) and gathers the 503's task into a second job at once.
    await lane.tick();
    expect((await h.store.get(first!))?.status).toBe('success');
    const waiting = await h.store.get(flaky!);
    expect(waiting).toMatchObject({ status: 'queued', lane: 'batch' });
    expect(waiting?.attempts.map((attempt) => [attempt.outcome, attempt.httpStatus])).toEqual([
      ['unavailable', 503],
    ]);
    const events = await h.store.eventsAfter(flaky!, 0);
    expect(events.find((event) => event.type === 'rescheduled')?.data).toMatchObject({ lane: 'batch' });
    const jobs = lane.jobs.list();
    expect(jobs).toHaveLength(2);
    expect(jobs[1]?.counts).toMatchObject({ succeeded: 1, retried: 1, pending: 0 });
    expect(jobs[0]?.counts).toMatchObject({ pending: 1 });
    expect(waiting?.batchJobId).toBe(jobs[0]?.id);

    h.clock.advance(batchDurationMs);
    await lane.tick();
    const finished = await h.store.get(flaky!);
    expect(finished?.status).toBe('success');
    expect(finished?.attempts.map((attempt) => attempt.outcome)).toEqual(['unavailable', 'success']);
    expect(finished?.warnings).not.toContain(batchLaneOnlineWarning);
    const online = costOfUsage(finished!.usage!, findModel(builtInCatalog(), modelId)!);
    if (!('costUsd' in online)) throw new Error(online.missingPrice);
    expect(finished?.actualCostUsd).toBeCloseTo(online.costUsd / 2, 12);
  });

  it('moves an item online once its batch tries are used up, where a worker finishes it', async () => {
    const h = await harness({
      scenario: { batches: { itemErrors: [{ pattern: 'variant 0$', status: 429 }] } },
    });
    const [task] = await submitBatchTasks(h, 1);
    const lane = h.lane({ maxItemAttempts: 2, gatherWindowMs: 0 });
    await lane.tick();
    h.clock.advance(batchDurationMs);
    await lane.tick();
    expect((await h.store.get(task!))?.status).toBe('queued');
    h.clock.advance(batchDurationMs);
    await lane.tick();
    expect(lane.jobs.list().map((job) => job.counts)).toEqual([
      { pending: 0, succeeded: 0, failed: 0, retried: 0, online: 1 },
      { pending: 0, succeeded: 0, failed: 0, retried: 1, online: 0 },
    ]);
    const worker = await onlineWorker(h);
    expect(await worker.runOnce()).toBe(task);
    const finished = await h.store.get(task!);
    expect(finished?.status).toBe('success');
    expect(finished?.warnings).toContain(batchLaneOnlineWarning);
    expect(finished?.attempts.map((attempt) => attempt.outcome)).toEqual([
      'rate_limited',
      'rate_limited',
      'success',
    ]);
  });

  it("releases a FAILED job's items and a CANCELLED job's items to the online lane", async () => {
    const h = await harness({ scenario: { batches: { end: 'failed' } } });
    const failedIds = await submitBatchTasks(h, 2);
    const lane = h.lane({ gatherWindowMs: 0 });
    await lane.tick();
    h.emulator.faults.replaceScenario(scenarioSchema.parse({}));
    h.clock.advance(1);
    const cancelledIds = await submitBatchTasks(h, 2);
    await lane.tick();
    const [cancelledJob, failedJob] = lane.jobs.list();
    await h.client.batches.cancel({ name: cancelledJob!.name! });
    h.clock.advance(batchDurationMs);
    await lane.tick();
    expect(lane.jobs.list().map((job) => [job.state, job.finished, job.counts.online])).toEqual([
      ['JOB_STATE_CANCELLED', true, 2],
      ['JOB_STATE_FAILED', true, 2],
    ]);
    expect(failedJob?.id).not.toBe(cancelledJob?.id);
    const worker = await onlineWorker(h);
    for (let run = 0; run < 4; run += 1) expect(await worker.runOnce()).toBeDefined();
    for (const task of await tasksOf(h, [...failedIds, ...cancelledIds])) {
      expect(task.status).toBe('success');
      expect(task.warnings).toContain(batchLaneOnlineWarning);
    }
    const events = await h.store.eventsAfter(failedIds[0]!, 0);
    expect(JSON.stringify(events)).toContain('ended JOB_STATE_FAILED; moved to the online lane');
  });

  it('resumes polling after a restart between create and poll, without a second job', async () => {
    const h = await harness();
    const ids = await submitBatchTasks(h, 4);
    await h.lane().tick();
    // A second lane on the same database file, as after a crash: it polls the stored job.
    const reopened = openSqliteDatabase(h.databasePath);
    cleanups.push(async () => {
      reopened.close();
    });
    const store = new SqliteTaskStore(reopened, { clock: h.clock, closeDatabase: false });
    const second = new BatchLane({
      database: reopened,
      store,
      blobs: h.blobs,
      registry: h.registry,
      catalog: builtInCatalog(),
      client: h.client,
      clock: h.clock,
      maxTasksPerJob: 4,
      onError: (error) => {
        throw error;
      },
    });
    await second.tick();
    h.clock.advance(batchDurationMs);
    await second.tick();
    const upstream: string[] = [];
    for await (const job of await h.client.batches.list()) upstream.push(job.name ?? '');
    expect(upstream).toHaveLength(1);
    expect((await tasksOf(h, ids)).map((task) => task.status)).toEqual([
      'success',
      'success',
      'success',
      'success',
    ]);
  });

  it('after a crash between storing a job and creating it, creates it once', async () => {
    const h = await harness();
    const ids = await submitBatchTasks(h, 4);
    const failing = h.lane({
      client: Object.assign(Object.create(h.client) as GoogleGenAI, {
        batches: Object.assign(Object.create(h.client.batches) as GoogleGenAI['batches'], {
          create: () => Promise.reject(new Error('the process died here')),
        }),
      }),
      onError: () => undefined,
    });
    await failing.tick();
    expect(failing.jobs.list()[0]).toMatchObject({ state: 'submitting' });
    expect((await h.store.get(ids[0]!))?.batchJobId).toBe(failing.jobs.list()[0]?.id);

    const lane = h.lane();
    h.clock.advance(60_000);
    await lane.tick();
    await lane.tick();
    const upstream: string[] = [];
    for await (const job of await h.client.batches.list()) upstream.push(job.name ?? '');
    expect(upstream).toHaveLength(1);
    expect(lane.jobs.list()).toHaveLength(1);
    h.clock.advance(batchDurationMs);
    await lane.tick();
    expect((await tasksOf(h, ids)).every((task) => task.status === 'success')).toBe(true);
  });

  it('sends a larger job as JSONL through the Files API and reads the results file after two 503s', async () => {
    const h = await harness({ batchResultDownloadFailures: 2 });
    const ids = await submitBatchTasks(h, 4);
    const lane = h.lane({ fileInputAboveBytes: 0 });
    await lane.tick();
    const [job] = lane.jobs.list();
    const inputs: string[] = [];
    for await (const file of await h.client.files.list()) inputs.push(file.displayName ?? '');
    expect(inputs).toContain(`${job?.id}-input`);

    h.clock.advance(batchDurationMs);
    const sleepsBefore = h.clock.sleepsMs.length;
    await lane.tick();
    expect((await h.client.batches.get({ name: job!.name! })).dest?.fileName).toBeDefined();
    // Two waits between the three tries of the download, doubling.
    expect(h.clock.sleepsMs.slice(sleepsBefore).filter((ms) => ms >= 30_000)).toEqual([30_000, 60_000]);
    for (const task of await tasksOf(h, ids)) {
      expect(task.status).toBe('success');
      expect(task.result?.images).toHaveLength(1);
    }
  });

  it('sends a job larger than the inline limit as one JSONL file instead of splitting it', async () => {
    const h = await harness();
    const ids = await submitBatchTasks(h, 4);
    // Each line is a few hundred bytes: four of them are over this inline limit, not over the job limit.
    const lane = h.lane({ maxInlineBytes: 600, maxJobInputBytes: 1024 * 1024 });
    await lane.tick();
    expect(lane.jobs.list()).toHaveLength(1);
    const inputs: string[] = [];
    for await (const file of await h.client.files.list()) inputs.push(file.displayName ?? '');
    expect(inputs).toEqual([`${lane.jobs.list()[0]?.id}-input`]);
    h.clock.advance(batchDurationMs);
    await lane.tick();
    expect((await tasksOf(h, ids)).map((task) => task.status)).toEqual(Array(4).fill('success'));
  });

  it("fails a task whose item the model refused, by the outcome table, and finishes the job's others", async () => {
    const h = await harness();
    const [refused] = await submitBatchTasks(h, 1, { model: 'gemini-2.5-flash-image', imageSize: '4K' });
    const [fine] = await submitBatchTasks(h, 1, { model: 'gemini-2.5-flash-image' });
    const lane = h.lane();
    h.clock.advance(60_000);
    await lane.tick();
    expect(lane.jobs.list()).toHaveLength(1);
    h.clock.advance(batchDurationMs);
    await lane.tick();
    expect(await h.store.get(refused!)).toMatchObject({
      status: 'failed',
      error: { type: 'invalid_request', code: '400' },
    });
    expect((await h.store.get(refused!))?.error?.message).toContain('4K');
    expect((await h.store.get(fine!))?.status).toBe('success');
    expect(lane.jobs.list()[0]?.counts).toEqual({
      pending: 0,
      succeeded: 1,
      failed: 1,
      retried: 0,
      online: 0,
    });
  });

  it('runs a task online near its deadline while its job still runs, and drops the late result', async () => {
    const h = await harness({ batchDurationMs: 30 * 3_600_000 });
    const ids = await submitBatchTasks(h, 4);
    const lane = h.lane();
    await lane.tick();
    const worker = await onlineWorker(h);
    expect(await worker.runOnce()).toBeUndefined();

    h.clock.set(startMs + 23 * 3_600_000);
    for (let run = 0; run < ids.length; run += 1) expect(await worker.runOnce()).toBeDefined();
    const online = await tasksOf(h, ids);
    expect(online.every((task) => task.status === 'success')).toBe(true);

    h.clock.set(startMs + 31 * 3_600_000);
    await lane.tick();
    expect(lane.jobs.list()[0]).toMatchObject({ state: 'JOB_STATE_SUCCEEDED', finished: true });
    expect(lane.jobs.list()[0]?.counts.online).toBe(4);
    // The late batch result changed nothing: the tasks keep their online result and price.
    expect(await tasksOf(h, ids)).toEqual(online);
  });

  it('after a crash between creating a job and storing its name, finds it upstream instead of creating another', async () => {
    const h = await harness();
    const ids = await submitBatchTasks(h, 4);
    const crashing = h.lane({
      client: Object.assign(Object.create(h.client) as GoogleGenAI, {
        batches: Object.assign(Object.create(h.client.batches) as GoogleGenAI['batches'], {
          create: async (params: Parameters<GoogleGenAI['batches']['create']>[0]) => {
            await h.client.batches.create(params);
            throw new Error('the process died before the name was stored');
          },
        }),
      }),
      onError: () => undefined,
    });
    await crashing.tick();
    expect(crashing.jobs.list()[0]).toMatchObject({ state: 'submitting' });

    const lane = h.lane();
    h.clock.advance(60_000);
    await lane.tick();
    const upstream: string[] = [];
    for await (const job of await h.client.batches.list()) upstream.push(job.name ?? '');
    expect(upstream).toHaveLength(1);
    expect(lane.jobs.list()[0]?.name).toBe(upstream[0]);
    h.clock.advance(batchDurationMs);
    await lane.tick();
    expect((await tasksOf(h, ids)).every((task) => task.status === 'success')).toBe(true);
  });
});
