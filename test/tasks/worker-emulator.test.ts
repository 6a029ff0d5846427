import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/blobs/index.js';
import { Imagegate } from '../../src/client/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { GeminiProvider } from '../../src/provider/gemini-provider.js';
import {
  imagegateTaskRunner,
  newTaskId,
  openSqliteDatabase,
  SqliteTaskStore,
  TaskEventHub,
  TaskWorker,
  type TaskRecord,
  type TaskRequest,
} from '../../src/tasks/index.js';

/** Every preview image model is still served on this day; the emulator stands still on it. */
const emulatedNowMs = Date.UTC(2026, 3, 1);

let emulator: RunningEmulator;
let imagegate: Imagegate;
let folder: string;

beforeAll(async () => {
  emulator = await startEmulator({ clock: new ManualClock(emulatedNowMs) });
  emulator.clock.setNow(emulatedNowMs, { frozen: true });
  imagegate = await Imagegate.create({
    provider: new GeminiProvider({ geminiApi: { apiKey: 'k', baseUrl: emulator.url } }),
    config: defaultConfig,
    // Backoff inside the engine costs no real time.
    clock: new ManualClock(emulatedNowMs),
  });
  folder = await mkdtemp(join(tmpdir(), 'imagegate-worker-emulator-'));
});

afterAll(async () => {
  await imagegate.close();
  await emulator.close();
  await rm(folder, { recursive: true, force: true });
});

function setUp(name: string) {
  // Heartbeats and polls wait for the test to move this clock, so they never fire here.
  const clock = new ManualClock(emulatedNowMs, { autoAdvance: false });
  const store = new SqliteTaskStore(openSqliteDatabase(join(folder, name, 'tasks.db')), { clock });
  const blobs = new BlobStore({ directory: join(folder, name, 'blobs') });
  const events = new TaskEventHub();
  const finished: TaskRecord[] = [];
  const worker = new TaskWorker({
    store,
    blobs,
    clock,
    events,
    run: imagegateTaskRunner(imagegate),
    onTaskFinished: (task) => finished.push(task),
  });
  const submit = async (request: Partial<TaskRequest>) =>
    (
      await store.create({
        id: newTaskId(clock.nowMs()),
        request: {
          model: 'image_fast',
          prompt: 'a lighthouse on a cliff at dusk',
          outputFormat: 'png',
          references: [],
          history: [],
          imageCount: 1,
          ...request,
        },
        metadata: {},
        createdAtMs: clock.nowMs(),
      })
    ).task;
  return { clock, store, blobs, events, finished, worker, submit };
}

describe('TaskWorker on the real stack (Imagegate → Gemini provider → emulator)', () => {
  it.each(['png', 'jpeg'] as const)('turns a queued %s task into stored, tagged images', async (format) => {
    const { store, blobs, worker, finished, submit } = setUp(`success-${format}`);
    const task = await submit({ outputFormat: format, aspectRatio: '16:9' });

    expect(await worker.runOnce()).toBe(task.id);

    const done = await store.get(task.id);
    expect(done?.status).toBe('success');
    expect(done?.attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
    const image = done?.result?.images[0];
    expect(image?.mimeType).toBe(format === 'png' ? 'image/png' : 'image/jpeg');
    const stored = await blobs.get(image!.sha256);
    const metadata = await sharp(stored!.bytes).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual([format, image?.width, image?.height]);
    expect(image!.width).toBeGreaterThan(image!.height);
    expect(blobs.readProvenance(stored!.bytes)).toEqual({
      logicalModel: 'image_fast',
      servedModel: done?.servedBy?.modelId,
      platform: 'gemini-api',
      promptSha256: createHash('sha256').update('a lighthouse on a cliff at dusk').digest('hex'),
      taskId: task.id,
    });
    expect(done?.result?.nextTurnContents.at(-1)).toMatchObject({ role: 'model' });
    expect(done?.usage?.totalTokens).toBeGreaterThan(0);
    expect(finished.map((record) => record.id)).toEqual([task.id]);
    await store.close();
  });

  it('edits a stored reference image', async () => {
    const { store, blobs, worker, submit } = setUp('edit');
    const reference = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#2255aa' } })
      .png()
      .toBuffer();
    const { sha256 } = await blobs.put(reference, 'image/png');
    const task = await submit({
      prompt: 'make the sky orange',
      references: [{ sha256, mimeType: 'image/png' }],
    });
    await worker.runOnce();
    expect((await store.get(task.id))?.status).toBe('success');
    await store.close();
  });

  it('reschedules when every candidate is unavailable, and succeeds on the next run', async () => {
    const { clock, store, worker, submit } = setUp('unavailable');
    emulator.faults.replaceScenario(
      parseScenario("scripted:\n  - { model: '*', responses: [503], repeat: true }\n"),
    );
    try {
      const task = await submit({});
      await worker.runOnce();
      const parked = await store.get(task.id);
      expect(parked).toMatchObject({ status: 'queued', runAfterMs: emulatedNowMs + 30_000 });
      expect(parked?.attempts.length).toBeGreaterThan(0);
      expect(parked?.attempts.every((attempt) => attempt.outcome === 'unavailable')).toBe(true);
      const events = await store.eventsAfter(task.id, 0);
      expect(events.at(-1)).toMatchObject({ type: 'rescheduled' });

      emulator.faults.replaceScenario(parseScenario(''));
      expect(await worker.runOnce()).toBeUndefined();
      clock.set(parked!.runAfterMs);
      expect(await worker.runOnce()).toBe(task.id);
      const done = await store.get(task.id);
      expect(done).toMatchObject({ status: 'success', claimCount: 2 });
      expect(done?.attempts.at(-1)?.outcome).toBe('success');
    } finally {
      emulator.faults.replaceScenario(parseScenario(''));
      await store.close();
    }
  });

  it('fails a task for an unknown model at once with the model_not_found error', async () => {
    const { store, worker, submit } = setUp('unknown');
    const task = await submit({ model: 'image_fsat' });
    await worker.runOnce();
    const failed = await store.get(task.id);
    expect(failed).toMatchObject({
      status: 'failed',
      error: { type: 'model_not_found', code: 'unknown_model' },
    });
    expect(failed?.error?.message).toContain('image_fast');
    await store.close();
  });
});
