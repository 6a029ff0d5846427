import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { openSqliteDatabase, SqliteTaskStore, TaskEventHub } from '../tasks/index.js';
import { waitForTask } from './wait-for-task.js';

async function storeWithTask(clock: ManualClock) {
  const store = new SqliteTaskStore(openSqliteDatabase(':memory:'), { clock });
  const { task } = await store.create({
    id: 'task_img_01JZX3Q4W8E2R5T7Y9U1I3O5P7',
    request: {
      model: 'image_fast',
      prompt: 'x',
      outputFormat: 'png',
      references: [],
      history: [],
      imageCount: 1,
    },
    metadata: {},
    createdAtMs: clock.nowMs(),
  });
  return { store, task };
}

describe('waitForTask', () => {
  it('returns the task once an event shows it final', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1), { autoAdvance: false });
    const { store, task } = await storeWithTask(clock);
    const events = new TaskEventHub();
    const waiting = waitForTask(task.id, 30_000, { store, events, clock, pollIntervalMs: 60_000 });
    await new Promise((resolve) => setImmediate(resolve));
    await store.requestCancel(task.id, clock.nowMs());
    events.notify(task.id);
    expect((await waiting)?.status).toBe('cancelled');
    expect(clock.nowMs()).toBe(Date.UTC(2026, 0, 1));
  });

  it('returns the task as it stands when the time is up', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { store, task } = await storeWithTask(clock);
    const result = await waitForTask(task.id, 5_000, {
      store,
      events: new TaskEventHub(),
      clock,
      pollIntervalMs: 1_000,
    });
    expect(result?.status).toBe('queued');
    expect(clock.sleepsMs).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
  });

  it('returns undefined for a task that does not exist', async () => {
    const clock = new ManualClock();
    const { store } = await storeWithTask(clock);
    expect(
      await waitForTask('task_img_nope', 1_000, { store, events: new TaskEventHub(), clock }),
    ).toBeUndefined();
  });
});
