import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../blobs/index.js';
import { ManualClock } from '../clock/index.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteTaskStore } from './sqlite-task-store.js';
import { newTaskId } from './task-id.js';
import { defaultRetentionDays } from '../config/index.js';
import { retentionSweepIntervalMs, sweepExpired, sweepUntilStopped } from './task-retention.js';

const DAY_MS = 86_400_000;
const startMs = Date.UTC(2026, 1, 1);

let folder: string;
let store: SqliteTaskStore;
let blobs: BlobStore;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'imagegate-retention-'));
  store = new SqliteTaskStore(openSqliteDatabase(':memory:'));
  blobs = new BlobStore({ directory: join(folder, 'blobs') });
});
afterEach(async () => {
  await store.close();
  await rm(folder, { recursive: true, force: true });
});

/** A task whose result is a stored blob, finished at `finishedAtMs`; the blob's file dates from then too. */
async function finishedTask(finishedAtMs: number, text: string): Promise<{ id: string; sha256: string }> {
  const { task } = await store.create({
    id: newTaskId(finishedAtMs),
    request: {
      model: 'image_fast',
      prompt: text,
      outputFormat: 'png',
      references: [],
      history: [],
      imageCount: 1,
    },
    metadata: {},
    createdAtMs: finishedAtMs,
  });
  const { sha256 } = await blobs.put(Buffer.from(text), 'image/png');
  const path = join(folder, 'blobs', sha256.slice(0, 2), sha256);
  await utimes(path, new Date(finishedAtMs), new Date(finishedAtMs));
  const claimed = await store.claim('worker', finishedAtMs, 30_000);
  await store.complete(
    claimed!.lease,
    {
      status: 'success',
      result: { images: [{ sha256, mimeType: 'image/png', width: 1, height: 1 }], nextTurnContents: [] },
      attempts: [],
      warnings: [],
      servedBy: { modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' },
    },
    finishedAtMs,
  );
  return { id: task.id, sha256 };
}

describe('retention', () => {
  it(`keeps finished tasks and their blobs ${defaultRetentionDays} days by default, then prunes them`, async () => {
    const old = await finishedTask(startMs, 'old');
    const recent = await finishedTask(startMs + 10 * DAY_MS, 'recent');
    const clock = new ManualClock(startMs + defaultRetentionDays * DAY_MS);
    expect(await sweepExpired({ store, blobs, clock })).toEqual({ tasks: 0, blobs: 0 });

    clock.advance(1);
    expect(await sweepExpired({ store, blobs, clock })).toEqual({ tasks: 1, blobs: 1 });
    expect(await store.get(old.id)).toBeUndefined();
    expect(await blobs.has(old.sha256)).toBe(false);
    expect((await store.get(recent.id))?.status).toBe('success');
    expect(await blobs.has(recent.sha256)).toBe(true);
  });

  it('honours a configured age and keeps a blob that a remaining task still refers to', async () => {
    const shared = await finishedTask(startMs, 'same bytes');
    const again = await finishedTask(startMs + 5 * DAY_MS, 'same bytes');
    expect(again.sha256).toBe(shared.sha256);
    const clock = new ManualClock(startMs + 7 * DAY_MS);
    expect(await sweepExpired({ store, blobs, clock, retentionDays: 3 })).toEqual({ tasks: 1, blobs: 0 });
    expect(await blobs.has(shared.sha256)).toBe(true);
  });

  it('sweeps at once and then every interval on the clock until stopped', async () => {
    const clock = new ManualClock(startMs, { autoAdvance: false });
    await finishedTask(startMs, 'first');
    const stop = new AbortController();
    const sweeping = sweepUntilStopped({
      store,
      blobs,
      clock,
      retentionDays: 1,
      signal: stop.signal,
      onError: () => {},
    });
    await finishedTask(startMs + 1, 'second');
    // The sleeping loop wakes when both tasks are more than a day old, and sweeps them.
    clock.advance(DAY_MS + 2 + retentionSweepIntervalMs);
    for (let round = 0; round < 50 && (await store.list({})).tasks.length > 0; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await store.list({})).tasks).toEqual([]);
    stop.abort();
    await sweeping;
  });
});
