import { describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteTaskStore } from './sqlite-task-store.js';
import { newTaskId } from './task-id.js';
import { pauseClaimsWhile } from './paused-claims.js';

describe('pauseClaimsWhile', () => {
  it('claims nothing while paused and resumes when it is not', async () => {
    const store = new SqliteTaskStore(openSqliteDatabase(':memory:'));
    const startMs = Date.UTC(2026, 2, 1);
    let paused = true;
    const gated = pauseClaimsWhile(store, () => paused);
    const { task } = await gated.create({
      id: newTaskId(startMs),
      request: {
        model: 'image_fast',
        prompt: 'p',
        outputFormat: 'png',
        references: [],
        history: [],
        imageCount: 1,
      },
      metadata: {},
      createdAtMs: startMs,
    });
    expect(await gated.claim('w', startMs, 30_000)).toBeUndefined();
    paused = false;
    expect((await gated.claim('w', startMs, 30_000))?.task.id).toBe(task.id);
    await gated.close();
  });
});
