import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BlobStore } from '../blobs/index.js';
import type { GenerationResult } from '../client/index.js';
import { ManualClock } from '../clock/index.js';
import { ImageGenerationError, type Attempt } from '../engine/index.js';
import { outcomeOf } from '../outcome/outcome.js';
import type { ImageRequest } from '../request/image-request.js';
import { UnknownModelError } from '../registry/index.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteTaskStore } from './sqlite-task-store.js';
import { TaskEventHub } from './task-event-hub.js';
import { newTaskId } from './task-id.js';
import type { TaskRecord, TaskRequest } from './task-record.js';
import type { TaskRunner, TaskRunOptions } from './task-runner.js';
import type { TaskStore } from './task-store.js';
import { TaskWorker, type TaskWorkerOptions } from './task-worker.js';

const startMs = Date.UTC(2026, 3, 1, 9);
const leaseMs = 30_000;
const servedModel = 'gemini-2.5-flash-image';

let folder: string;
let blobs: BlobStore;
let store: SqliteTaskStore;
// Sleeps wait for advance(): heartbeats and polls fire only when a test moves the clock.
let clock: ManualClock;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'imagegate-worker-'));
  blobs = new BlobStore({ directory: join(folder, 'blobs') });
  store = new SqliteTaskStore(openSqliteDatabase(':memory:'));
  clock = new ManualClock(startMs, { autoAdvance: false });
});
afterEach(async () => {
  await store.close();
  await rm(folder, { recursive: true, force: true });
});

/** Lets pending promise chains and I/O callbacks run; no time passes on the test clock. */
async function settle(): Promise<void> {
  for (let round = 0; round < 30; round += 1) await new Promise((resolve) => setImmediate(resolve));
}

function taskRequest(overrides: Partial<TaskRequest> = {}): TaskRequest {
  return {
    model: 'image_fast',
    prompt: 'a paper boat on a pond',
    outputFormat: 'png',
    references: [],
    history: [],
    imageCount: 1,
    ...overrides,
  };
}

async function submit(
  overrides: Partial<TaskRequest> = {},
  createdAtMs = clock.nowMs(),
): Promise<TaskRecord> {
  const { task } = await store.create({
    id: newTaskId(createdAtMs),
    request: taskRequest(overrides),
    metadata: {},
    createdAtMs,
  });
  return task;
}

async function pngImage(colour: string) {
  const bytes = await sharp({ create: { width: 64, height: 64, channels: 3, background: colour } })
    .png()
    .toBuffer();
  return {
    bytes,
    mimeType: 'image/png',
    width: 64,
    height: 64,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

function attempt(outcome: Attempt['outcome'], startedAtMs: number): Attempt {
  return {
    modelId: servedModel,
    platform: 'gemini-api',
    outcome,
    startedAtMs,
    latencyMs: 10,
    waitedBeforeMs: 0,
  };
}

async function generation(overrides: Partial<GenerationResult> = {}): Promise<GenerationResult> {
  return {
    images: [await pngImage('#ff8800'), await pngImage('#0088ff')],
    text: 'two boats',
    usage: {
      promptTokens: 8,
      outputTextTokens: 2,
      outputImageTokens: 2580,
      thoughtsTokens: 0,
      totalTokens: 2590,
    },
    costUsd: 0.078,
    attempts: [attempt('unavailable', startMs), attempt('success', startMs + 1)],
    servedBy: { modelId: servedModel, platform: 'gemini-api' },
    warnings: ['seed is not supported; dropped'],
    modelContents: [{ role: 'model', parts: [{ text: 'two boats', thoughtSignature: 'sig' }] }],
    requestedModel: 'image_fast',
    ...overrides,
  };
}

function worker(run: TaskRunner, overrides: Partial<TaskWorkerOptions> = {}): TaskWorker {
  return new TaskWorker({
    store,
    blobs,
    run,
    clock,
    workerId: 'worker-a',
    leaseMs,
    onError: () => {},
    ...overrides,
  });
}

/** A runner that waits until the test settles it or the worker aborts it. */
function blockingRunner() {
  let resolveRun: (result: GenerationResult) => void = () => {};
  let seen: TaskRunOptions | undefined;
  const run: TaskRunner = (_request, options) => {
    seen = options;
    return new Promise<GenerationResult>((resolve, reject) => {
      resolveRun = resolve;
      options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
    });
  };
  return { run, resolve: (result: GenerationResult) => resolveRun(result), options: () => seen };
}

describe('TaskWorker', () => {
  it('runs a task end to end: loads references, records attempts live, stores images with provenance, then completes', async () => {
    const reference = await pngImage('#123456');
    const storedReference = await blobs.put(reference.bytes, 'image/png');
    const task = await submit({
      references: [{ sha256: storedReference.sha256, mimeType: 'image/png' }],
      history: [{ role: 'user', parts: [{ text: 'earlier' }] }],
      outputFormat: 'png',
      aspectRatio: '1:1',
    });
    const events = new TaskEventHub();
    const notified: string[] = [];
    events.subscribe(task.id, (id) => notified.push(id));
    const finished: TaskRecord[] = [];
    let seenRequest: ImageRequest | undefined;
    const result = await generation();
    const run: TaskRunner = async (request, options) => {
      seenRequest = request;
      expect(options.model).toBe('image_fast');
      for (const each of result.attempts) options.onAttempt(each);
      options.onWarning('route warning');
      return result;
    };

    const ranId = await worker(run, { events, onTaskFinished: (record) => finished.push(record) }).runOnce();

    expect(ranId).toBe(task.id);
    expect(Buffer.from(seenRequest!.referenceImages[0]!.bytes).equals(reference.bytes)).toBe(true);
    expect(seenRequest).toMatchObject({
      prompt: 'a paper boat on a pond',
      aspectRatio: '1:1',
      outputFormat: 'png',
    });
    const done = await store.get(task.id);
    expect(done).toMatchObject({
      status: 'success',
      progress: 100,
      attempts: result.attempts,
      warnings: ['route warning', 'seed is not supported; dropped'],
      actualCostUsd: 0.078,
      servedBy: { modelId: servedModel, platform: 'gemini-api' },
      result: { text: 'two boats' },
    });
    expect(done?.result?.images).toHaveLength(2);
    for (const image of done?.result?.images ?? []) {
      const stored = await blobs.get(image.sha256);
      expect(stored?.mimeType).toBe('image/png');
      expect(blobs.readProvenance(stored!.bytes)).toEqual({
        logicalModel: 'image_fast',
        servedModel,
        platform: 'gemini-api',
        promptSha256: createHash('sha256').update('a paper boat on a pond').digest('hex'),
        taskId: task.id,
      });
      expect(image).toMatchObject({ mimeType: 'image/png', width: 64, height: 64 });
    }
    const nextTurn = done?.result?.nextTurnContents as Array<{
      role: string;
      parts: Array<Record<string, unknown>>;
    }>;
    expect(nextTurn.map((turn) => turn.role)).toEqual(['user', 'user', 'model']);
    expect(nextTurn[1]?.parts[0]).toEqual({ text: 'a paper boat on a pond' });
    // The reference goes back as a pointer to the stored blob, never as bytes.
    const referenceSha256 = createHash('sha256').update(reference.bytes).digest('hex');
    expect(nextTurn[1]?.parts[1]).toEqual({
      fileData: { mimeType: 'image/png', fileUri: `/v1/images/${referenceSha256}` },
    });
    expect(nextTurn[2]?.parts[0]).toEqual({ text: 'two boats', thoughtSignature: 'sig' });
    expect((await store.eventsAfter(task.id, 0)).map((event) => event.type)).toEqual([
      'queued',
      'processing',
      'attempt',
      'attempt',
      'progress',
      'success',
    ]);
    // After the claim, the failed attempt, and the commit that completes the task.
    expect(notified).toEqual([task.id, task.id, task.id]);
    // Derived by the worker from the same transition, not read back: equal to what was stored.
    expect(finished).toEqual([done]);
  });

  /** The store, with each write's name and how many writes were still waiting for their commit when it was sent. */
  function writesWatched(appliesWritesInCallOrder: boolean) {
    const sent: Array<[string, number]> = [];
    let waiting = 0;
    const watching = Object.create(store, {
      appliesWritesInCallOrder: { value: appliesWritesInCallOrder },
    }) as TaskStore;
    for (const name of ['claim', 'recordAttempt', 'setProgress', 'complete'] as const) {
      const write = store[name].bind(store) as (...args: unknown[]) => Promise<unknown>;
      (watching as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        sent.push([name, waiting]);
        waiting += 1;
        try {
          return await write(...args);
        } finally {
          waiting -= 1;
        }
      };
    }
    return { watching, sent };
  }

  it("sends a succeeding run's successful attempt, 90 % mark and completion together: one commit", async () => {
    const task = await submit();
    const { watching, sent } = writesWatched(true);
    const result = await generation();
    const run: TaskRunner = async (_request, options) => {
      for (const each of result.attempts) options.onAttempt(each);
      return result;
    };
    await worker(run, { store: watching }).runOnce();
    expect(sent).toEqual([
      ['claim', 0],
      ['recordAttempt', 0],
      ['recordAttempt', 0],
      ['setProgress', 1],
      ['complete', 2],
    ]);
    const events = await store.eventsAfter(task.id, 0);
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['queued', {}],
      ['processing', expect.objectContaining({ claimCount: 1 })],
      ['attempt', { attempt: result.attempts[0] }],
      ['attempt', { attempt: result.attempts[1] }],
      ['progress', { progress: 90 }],
      ['success', expect.objectContaining({ servedBy: result.servedBy })],
    ]);
    expect((await store.get(task.id))?.attempts).toEqual(result.attempts);
  });

  it('sends those writes one after another to a store that does not apply writes in call order', async () => {
    const task = await submit();
    const { watching, sent } = writesWatched(false);
    const result = await generation();
    const run: TaskRunner = async (_request, options) => {
      for (const each of result.attempts) options.onAttempt(each);
      return result;
    };
    await worker(run, { store: watching }).runOnce();
    expect(sent).toEqual([
      ['claim', 0],
      ['recordAttempt', 0],
      ['recordAttempt', 0],
      ['setProgress', 0],
      ['complete', 0],
    ]);
    expect((await store.eventsAfter(task.id, 0)).map((event) => event.type)).toEqual([
      'queued',
      'processing',
      'attempt',
      'attempt',
      'progress',
      'success',
    ]);
  });

  it('writes a successful attempt before an ending that is not a success', async () => {
    const task = await submit();
    const broken = {
      bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]),
      mimeType: 'image/png',
      width: 1,
      height: 1,
      sha256: 'x',
    };
    const success = attempt('success', startMs);
    const run: TaskRunner = async (_request, options) => {
      options.onAttempt(success);
      return generation({ images: [broken], attempts: [success] });
    };
    await worker(run).runOnce();
    expect((await store.eventsAfter(task.id, 0)).map((event) => event.type)).toEqual([
      'queued',
      'processing',
      'attempt',
      'failed',
    ]);
    expect(await store.get(task.id)).toMatchObject({ status: 'failed', attempts: [success] });
  });

  it('writes a deferred successful attempt before a later attempt of the same run', async () => {
    const task = await submit();
    const first = attempt('success', startMs);
    const second = attempt('unavailable', startMs + 1);
    const run: TaskRunner = async (_request, options) => {
      options.onAttempt(first);
      options.onAttempt(second);
      throw new ImageGenerationError(outcomeOf('unavailable', 'down'), [first, second], []);
    };
    await worker(run).runOnce();
    const attempts = (await store.eventsAfter(task.id, 0))
      .filter((event) => event.type === 'attempt')
      .map((event) => event.data.attempt);
    expect(attempts).toEqual([first, second]);
  });

  it('writes every image to the blob store before the task is committed as done', async () => {
    const task = await submit();
    const result = await generation();
    const presentAtCommit: boolean[] = [];
    const watching: TaskStore = Object.create(store) as TaskStore;
    watching.complete = async (lease, completion, nowMs) => {
      if (completion.status === 'success') {
        for (const image of completion.result.images) presentAtCommit.push(await blobs.has(image.sha256));
      }
      return store.complete(lease, completion, nowMs);
    };
    await worker(async () => result, { store: watching }).runOnce();
    expect(presentAtCommit).toEqual([true, true]);
    expect((await store.get(task.id))?.status).toBe('success');
  });

  it('returns undefined when nothing is claimable', async () => {
    expect(await worker(async () => generation()).runOnce()).toBeUndefined();
  });

  it('passes jpeg output to the runner and stores JPEG images with provenance', async () => {
    const task = await submit({ outputFormat: 'jpeg' });
    const jpegBytes = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#0f0' } })
      .jpeg()
      .toBuffer();
    let outputFormat: string | undefined;
    const run: TaskRunner = async (request) => {
      outputFormat = request.outputFormat;
      return generation({
        images: [{ bytes: jpegBytes, mimeType: 'image/jpeg', width: 32, height: 32, sha256: 'x' }],
      });
    };
    await worker(run).runOnce();
    expect(outputFormat).toBe('jpeg');
    const image = (await store.get(task.id))?.result?.images[0];
    const stored = await blobs.get(image!.sha256);
    expect(stored?.mimeType).toBe('image/jpeg');
    expect(blobs.readProvenance(stored!.bytes)?.taskId).toBe(task.id);
    expect((await sharp(stored!.bytes).metadata()).format).toBe('jpeg');
  });

  describe('failures', () => {
    function retryable(retryAfterMs?: number): ImageGenerationError {
      return new ImageGenerationError(
        outcomeOf('unavailable', 'backend overloaded', {
          httpStatus: 503,
          ...(retryAfterMs ? { retryAfterMs } : {}),
        }),
        [attempt('unavailable', startMs)],
        ['fallback skipped'],
      );
    }

    it('reschedules a transient failure with doubling backoff on the clock, then fails after maxTaskRuns', async () => {
      const task = await submit();
      const run: TaskRunner = async () => {
        throw retryable();
      };
      const subject = worker(run, { maxTaskRuns: 3 });
      const runAfters: number[] = [];
      for (let run = 0; run < 2; run += 1) {
        expect(await subject.runOnce()).toBe(task.id);
        const record = await store.get(task.id);
        expect(record?.status).toBe('queued');
        runAfters.push(record!.runAfterMs - clock.nowMs());
        expect(await subject.runOnce()).toBeUndefined();
        clock.set(record!.runAfterMs);
      }
      expect(runAfters).toEqual([30_000, 60_000]);
      expect(await subject.runOnce()).toBe(task.id);
      const failed = await store.get(task.id);
      expect(failed).toMatchObject({
        status: 'failed',
        claimCount: 3,
        error: { type: 'unavailable', code: '503', message: 'backend overloaded' },
        warnings: ['fallback skipped'],
      });
      expect(failed?.attempts).toHaveLength(3);
      const events = await store.eventsAfter(task.id, 0);
      expect(
        events.filter((event) => event.type === 'rescheduled').map((event) => event.data.reason),
      ).toEqual(['unavailable: backend overloaded', 'unavailable: backend overloaded']);
    });

    it('waits at least as long as the server asked', async () => {
      const task = await submit();
      await worker(async () => {
        throw retryable(90_000);
      }).runOnce();
      expect((await store.get(task.id))?.runAfterMs).toBe(startMs + 90_000);
    });

    it('parks a run refused by open circuits until the next trial without counting it, and the route further ahead', async () => {
      const first = await submit();
      const sameRoute = await submit({}, startMs + 1);
      const otherRoute = await submit({ model: 'image_quality' }, startMs + 2);
      const runModels: string[] = [];
      let modelsAreBack = false;
      const run: TaskRunner = async (_request, { model }) => {
        runModels.push(model);
        if (modelsAreBack) return generation();
        throw new ImageGenerationError(outcomeOf('unavailable', 'circuit open'), [], [], {
          circuitOpenUntilMs: clock.nowMs() + 5_000,
        });
      };
      const subject = worker(run, { maxTaskRuns: 1, parkHorizonMs: 60_000 });
      clock.set(startMs + 3);
      expect(await subject.runOnce()).toBe(first.id);
      expect(await store.get(first.id)).toMatchObject({
        status: 'queued',
        claimCount: 0,
        runAfterMs: startMs + 5_003,
      });
      expect((await store.get(sameRoute.id))?.runAfterMs).toBe(startMs + 65_003);
      expect((await store.get(otherRoute.id))?.runAfterMs).toBe(startMs + 2);
      expect(await subject.runOnce()).toBe(otherRoute.id);
      expect(await subject.runOnce()).toBeUndefined();

      // Each trial time the task that probes is claimed and parked again, uncounted; the rest stay parked.
      for (let round = 0; round < 4; round += 1) {
        clock.advance(5_000);
        const claimed: Array<string | undefined> = [];
        for (let claim = 0; claim < 3; claim += 1) claimed.push(await subject.runOnce());
        expect(claimed).toEqual([first.id, otherRoute.id, undefined]);
      }
      expect(runModels).toHaveLength(10);
      for (const id of [first.id, sameRoute.id, otherRoute.id]) {
        expect(await store.get(id)).toMatchObject({ status: 'queued', claimCount: 0 });
      }
      expect((await store.eventsAfter(sameRoute.id, 0)).map((event) => event.type)).toEqual(['queued']);

      // The route answers again: its parked task comes forward at once.
      modelsAreBack = true;
      clock.advance(5_000);
      expect(await subject.runOnce()).toBe(first.id);
      expect((await store.get(first.id))?.status).toBe('success');
      expect((await store.get(sameRoute.id))?.runAfterMs).toBe(clock.nowMs());
      expect(await subject.runOnce()).toBe(sameRoute.id);
      expect((await store.get(sameRoute.id))?.status).toBe('success');
    });

    it('fails a permanent engine failure at once with its outcome kind and status', async () => {
      const task = await submit();
      await worker(async () => {
        throw new ImageGenerationError(
          outcomeOf('model_retired', 'model was shut down', { httpStatus: 404 }),
          [],
          [],
        );
      }).runOnce();
      expect(await store.get(task.id)).toMatchObject({
        status: 'failed',
        claimCount: 1,
        error: { type: 'model_retired', code: '404', message: 'model was shut down' },
      });
    });

    it('fails bad input at once: a missing reference blob never reaches the runner', async () => {
      const task = await submit({ references: [{ sha256: 'a'.repeat(64), mimeType: 'image/png' }] });
      const run = vi.fn<TaskRunner>();
      await worker(run).runOnce();
      expect(run).not.toHaveBeenCalled();
      expect(await store.get(task.id)).toMatchObject({
        status: 'failed',
        error: { type: 'invalid_request', code: 'invalid_input' },
      });
      expect((await store.get(task.id))?.error?.message).toMatch(
        /references\[0\]: blob a{64} is not in the blob store/,
      );
    });

    it('fails an invalid stored field naming it', async () => {
      // A hand-edited row: outside input the worker validates again.
      const task = await submit({ aspectRatio: '7:3' as TaskRequest['aspectRatio'] });
      await worker(vi.fn<TaskRunner>()).runOnce();
      expect(await store.get(task.id)).toMatchObject({ status: 'failed', error: { code: 'invalid_input' } });
      expect((await store.get(task.id))?.error?.message).toMatch(/aspectRatio/);
    });

    it('fails an unknown model as model_not_found', async () => {
      const task = await submit({ model: 'imgae_fast' });
      await worker(async () => {
        throw new UnknownModelError('imgae_fast', ['image_fast'], ['image_fast']);
      }).runOnce();
      expect(await store.get(task.id)).toMatchObject({
        status: 'failed',
        error: { type: 'model_not_found', code: 'unknown_model' },
      });
    });

    it('fails an unexpected error as internal_error', async () => {
      const task = await submit();
      await worker(async () => {
        throw new TypeError('cannot read properties of undefined');
      }).runOnce();
      expect(await store.get(task.id)).toMatchObject({
        status: 'failed',
        error: { type: 'internal_error', message: 'cannot read properties of undefined' },
      });
    });
  });

  describe('storing images', () => {
    it('reschedules when the blob store fails, and fails after maxTaskRuns', async () => {
      const task = await submit();
      const failing = Object.create(blobs) as BlobStore;
      failing.putImage = async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      };
      const subject = worker(async () => generation(), { blobs: failing, maxTaskRuns: 2 });
      await subject.runOnce();
      const parked = await store.get(task.id);
      expect(parked).toMatchObject({ status: 'queued', runAfterMs: startMs + 30_000 });
      clock.set(parked!.runAfterMs);
      await subject.runOnce();
      expect(await store.get(task.id)).toMatchObject({
        status: 'failed',
        error: {
          type: 'internal_error',
          code: 'blob_store',
          message: 'Storing the images failed: ENOSPC: no space left on device',
        },
      });
    });

    it('fails at once when the model sent an image that is not a well-formed PNG', async () => {
      const task = await submit();
      const broken = {
        bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]),
        mimeType: 'image/png',
        width: 1,
        height: 1,
        sha256: 'x',
      };
      await worker(async () => generation({ images: [broken] })).runOnce();
      expect(await store.get(task.id)).toMatchObject({ status: 'failed', error: { code: 'blob_store' } });
    });
  });

  it('fails a task whose runs keep ending without a result (a poison task) after maxTaskRuns claims', async () => {
    const task = await submit();
    for (let claim = 1; claim <= 2; claim += 1) {
      // Another process claims it and dies each time; its lease runs out.
      await store.claim(`worker-dead-${claim}`, clock.nowMs(), leaseMs);
      clock.set(clock.nowMs() + leaseMs);
    }
    const run = vi.fn<TaskRunner>();
    await worker(run, { maxTaskRuns: 2 }).runOnce();
    expect(run).not.toHaveBeenCalled();
    expect(await store.get(task.id)).toMatchObject({
      status: 'failed',
      claimCount: 3,
      error: { type: 'internal_error', code: 'too_many_runs' },
    });
  });

  describe('leases', () => {
    it('heartbeats every third of the lease', async () => {
      const task = await submit();
      const runner = blockingRunner();
      const running = worker(runner.run).runOnce();
      await settle();
      expect((await store.get(task.id))?.leaseExpiresAtMs).toBe(startMs + leaseMs);
      clock.advance(10_000);
      await settle();
      expect((await store.get(task.id))?.leaseExpiresAtMs).toBe(startMs + 10_000 + leaseMs);
      runner.resolve(await generation());
      await running;
      expect((await store.get(task.id))?.status).toBe('success');
    });

    it('a worker that lost its lease drops its result; the new owner keeps the task', async () => {
      const task = await submit();
      const runner = blockingRunner();
      const running = worker(runner.run).runOnce();
      await settle();
      const other = await store.claim('worker-b', startMs + leaseMs, leaseMs);
      expect(other?.lease.fencingToken).toBe(2);
      const eventsBefore = await store.eventsAfter(task.id, 0);
      runner.resolve(await generation());
      await running;
      const record = await store.get(task.id);
      expect(record).toMatchObject({ status: 'processing', leaseOwner: 'worker-b', fencingToken: 2 });
      expect(await store.eventsAfter(task.id, 0)).toHaveLength(eventsBefore.length);
    });

    it('aborts the run when a heartbeat finds the lease taken', async () => {
      const task = await submit();
      const runner = blockingRunner();
      const running = worker(runner.run).runOnce();
      await settle();
      await store.claim('worker-b', startMs + leaseMs, leaseMs);
      clock.advance(10_000);
      await running;
      expect(runner.options()?.signal.aborted).toBe(true);
      expect(await store.get(task.id)).toMatchObject({ status: 'processing', leaseOwner: 'worker-b' });
    });
  });

  describe('cancel', () => {
    it('aborts a running task on the next heartbeat and completes it as cancelled', async () => {
      const task = await submit();
      const runner = blockingRunner();
      const finished: TaskRecord[] = [];
      const running = worker(runner.run, { onTaskFinished: (record) => finished.push(record) }).runOnce();
      await settle();
      await store.requestCancel(task.id, clock.nowMs());
      expect(runner.options()?.signal.aborted).toBe(false);
      clock.advance(10_000);
      await running;
      expect(runner.options()?.signal.aborted).toBe(true);
      expect(await store.get(task.id)).toMatchObject({
        status: 'cancelled',
        error: { type: 'cancelled', code: 'cancelled' },
      });
      // The record handed on is the stored one, the cancel request included.
      expect(finished).toEqual([await store.get(task.id)]);
      expect(finished[0]).toMatchObject({ status: 'cancelled', cancelRequested: true });
    });

    it('aborts at once when told of the cancel, without waiting for a heartbeat', async () => {
      const task = await submit();
      const runner = blockingRunner();
      const taskWorker = worker(runner.run);
      const running = taskWorker.runOnce();
      await settle();
      await store.requestCancel(task.id, clock.nowMs());
      taskWorker.cancel(task.id);
      await running;
      expect(runner.options()?.signal.aborted).toBe(true);
      const ended = await store.get(task.id);
      expect(ended?.status).toBe('cancelled');
      expect(ended?.result).toBeUndefined();
    });

    it('ignores a cancel for a task it is not running', async () => {
      const task = await submit();
      worker(blockingRunner().run).cancel(task.id);
      expect((await store.get(task.id))?.status).toBe('queued');
    });
  });

  describe('start and stop', () => {
    it('drains the queue with several tasks at once', async () => {
      const tasks = await Promise.all([0, 1, 2, 3, 4].map((index) => submit({}, startMs - 10 + index)));
      let active = 0;
      let mostActive = 0;
      const run: TaskRunner = async () => {
        active += 1;
        mostActive = Math.max(mostActive, active);
        await settle();
        active -= 1;
        return generation({ images: [] });
      };
      const subject = worker(run, { concurrency: 2 });
      subject.start();
      await vi.waitFor(async () => {
        const statuses = await Promise.all(tasks.map(async (task) => (await store.get(task.id))?.status));
        expect(statuses).toEqual(['success', 'success', 'success', 'success', 'success']);
      });
      const stopping = subject.stop();
      clock.advance(250);
      await stopping;
      expect(mostActive).toBe(2);
    });

    it('claims for every free slot in one turn while it finds work, and one at a time when idle', async () => {
      await Promise.all([0, 1, 2].map((index) => submit({}, startMs - 10 + index)));
      const { watching, sent } = writesWatched(true);
      const runUntilAborted: TaskRunner = (_request, options) =>
        new Promise((_resolve, reject) =>
          options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true }),
        );
      const subject = worker(runUntilAborted, { store: watching, concurrency: 4 });
      subject.start();
      await vi.waitFor(() => expect(sent.length).toBeGreaterThanOrEqual(5));
      // One claim (idle), three at once for the free slots (two found tasks), then one that found nothing.
      expect(sent.slice(0, 5)).toEqual([
        ['claim', 0],
        ['claim', 0],
        ['claim', 1],
        ['claim', 2],
        ['claim', 0],
      ]);
      expect((await store.list({ status: 'processing' })).tasks).toHaveLength(3);
      const stopping = subject.stop({ graceMs: 1 });
      clock.advance(250);
      await settle();
      clock.advance(1);
      await stopping;
      expect((await store.list({ status: 'queued' })).tasks).toHaveLength(3);
    });

    it("gives a finished run's slot to the next claim, sent with its completing writes", async () => {
      const tasks = await Promise.all([0, 1].map((index) => submit({}, startMs - 10 + index)));
      const { watching, sent } = writesWatched(true);
      const subject = worker(async () => generation({ images: [] }), { store: watching, concurrency: 1 });
      subject.start();
      await vi.waitFor(async () => {
        const statuses = await Promise.all(tasks.map(async (task) => (await store.get(task.id))?.status));
        expect(statuses).toEqual(['success', 'success']);
      });
      const stopping = subject.stop();
      clock.advance(250);
      await stopping;
      // The second claim goes out while the first task's progress and completion still wait for their commit.
      expect(sent.slice(0, 4)).toEqual([
        ['claim', 0],
        ['setProgress', 0],
        ['complete', 1],
        ['claim', 2],
      ]);
    });

    it('keeps claiming while a run that gave its slot back still waits for its commit (a store on a network)', async () => {
      const tasks = await Promise.all([0, 1, 2].map((index) => submit({}, startMs - 10 + index)));
      // Claims answer at once, completions only after real I/O: the claim loop must wait for a slot still
      // held, not spin on the settled slot of the run whose commit is out (which would starve that commit).
      const slowCommits = Object.create(store) as TaskStore;
      slowCommits.complete = async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return store.complete(...args);
      };
      const subject = worker(async () => generation({ images: [] }), { store: slowCommits, concurrency: 1 });
      subject.start();
      await vi.waitFor(async () => {
        const statuses = await Promise.all(tasks.map(async (task) => (await store.get(task.id))?.status));
        expect(statuses).toEqual(['success', 'success', 'success']);
      });
      const stopping = subject.stop();
      clock.advance(250);
      await stopping;
    });

    it('wake() ends an idle wait so a new task starts without waiting for the next poll', async () => {
      const subject = worker(async () => generation({ images: [] }), { pollIntervalMs: 3_600_000 });
      subject.start();
      await settle();
      const task = await submit();
      subject.wake();
      await vi.waitFor(async () => expect((await store.get(task.id))?.status).toBe('success'));
      const stopping = subject.stop();
      await stopping;
    });

    it('stop waits for in-flight work up to graceMs, then aborts and releases it', async () => {
      const task = await submit();
      const runner = blockingRunner();
      const subject = worker(runner.run);
      subject.start();
      await vi.waitFor(async () => expect((await store.get(task.id))?.status).toBe('processing'));
      const stopping = subject.stop({ graceMs: 5_000 });
      await settle();
      expect(runner.options()?.signal.aborted).toBe(false);
      clock.advance(5_000);
      await stopping;
      expect(runner.options()?.signal.aborted).toBe(true);
      const released = await store.get(task.id);
      expect(released).toMatchObject({ status: 'queued', runAfterMs: startMs + 5_000, claimCount: 1 });
      expect(released?.leaseOwner).toBeUndefined();
      expect(await store.claim('worker-b', startMs + 5_000, leaseMs)).toBeDefined();
    });

    it('stop lets a task that finishes within the grace period complete', async () => {
      const task = await submit();
      const runner = blockingRunner();
      const subject = worker(runner.run);
      subject.start();
      await vi.waitFor(async () => expect((await store.get(task.id))?.status).toBe('processing'));
      const stopping = subject.stop({ graceMs: 5_000 });
      runner.resolve(await generation());
      await stopping;
      expect((await store.get(task.id))?.status).toBe('success');
    });
  });

  it('refuses options that are not positive integers, naming them', () => {
    expect(() => worker(async () => generation(), { concurrency: 0 })).toThrow(
      /concurrency: must be a positive integer \(got 0\)/,
    );
    expect(() => worker(async () => generation(), { leaseMs: 1.5 })).toThrow(/leaseMs/);
  });
});
