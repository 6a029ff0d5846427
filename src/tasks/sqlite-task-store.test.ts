import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDatabasePaths } from './test-support/temporary-database-paths.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { claimableQueuedSql, SqliteTaskStore } from './sqlite-task-store.js';
import { sqliteSchemaVersion } from './sqlite-schema.js';
import { newTaskId } from './task-id.js';
import { describeTaskStoreContract } from './test-support/task-store-contract.js';
import type { NewTask } from './task-store.js';

describeTaskStoreContract('SQLite in memory', async () => {
  const store = new SqliteTaskStore(openSqliteDatabase(':memory:'));
  return { store, cleanup: () => store.close() };
});

describeTaskStoreContract('SQLite file', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'imagegate-tasks-'));
  const store = new SqliteTaskStore(openSqliteDatabase(join(folder, 'tasks.db')));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
});

const startMs = Date.UTC(2026, 2, 1, 12);
const leaseMs = 30_000;

function newTask(createdAtMs: number): NewTask {
  return {
    id: newTaskId(createdAtMs),
    request: {
      model: 'image_fast',
      prompt: 'p',
      outputFormat: 'png',
      references: [],
      history: [],
      imageCount: 1,
    },
    metadata: {},
    createdAtMs,
  };
}

describe('SqliteTaskStore on a file', () => {
  const databasePath = temporaryDatabasePaths('imagegate-tasks-');

  it('two stores on one file (two processes) never claim a task twice while its lease is live', async () => {
    const path = await databasePath();
    const stores = [
      new SqliteTaskStore(openSqliteDatabase(path)),
      new SqliteTaskStore(openSqliteDatabase(path)),
    ];
    try {
      const created = new Set<string>();
      for (let index = 0; index < 40; index += 1) {
        const store = stores[index % 2]!;
        created.add((await store.create(newTask(startMs + index))).task.id);
      }
      const claimedBy = new Map<string, number>();
      for (let round = 0; round < 30; round += 1) {
        const claims = await Promise.all(
          stores.map((store, index) => store.claim(`worker-${index}`, startMs + 100, leaseMs)),
        );
        for (const claim of claims) {
          if (!claim) continue;
          expect(claimedBy.has(claim.task.id), `${claim.task.id} claimed twice`).toBe(false);
          claimedBy.set(claim.task.id, claim.lease.fencingToken);
        }
      }
      expect(new Set(claimedBy.keys())).toEqual(created);
      expect(await stores[0]!.claim('worker-0', startMs + 100 + leaseMs - 1, leaseMs)).toBeUndefined();
      const reclaimed = await stores[1]!.claim('worker-1', startMs + 100 + leaseMs, leaseMs);
      expect(reclaimed?.lease.fencingToken).toBe(2);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('a rescheduled (or parked) task survives closing and reopening the file', async () => {
    const path = await databasePath();
    const first = new SqliteTaskStore(openSqliteDatabase(path));
    const { task } = await first.create(newTask(startMs));
    const claim = await first.claim('worker-a', startMs, leaseMs);
    expect(
      await first.reschedule(claim!.lease, startMs + 120_000, 'circuit open for model-a', startMs + 1),
    ).toBe(true);
    await first.close();

    const reopened = new SqliteTaskStore(openSqliteDatabase(path));
    try {
      expect(await reopened.get(task.id)).toMatchObject({
        status: 'queued',
        runAfterMs: startMs + 120_000,
        fencingToken: 1,
      });
      expect(await reopened.claim('worker-b', startMs + 119_999, leaseMs)).toBeUndefined();
      const again = await reopened.claim('worker-b', startMs + 120_000, leaseMs);
      expect(again?.lease).toEqual({ taskId: task.id, workerId: 'worker-b', fencingToken: 2 });
      const types = (await reopened.eventsAfter(task.id, 0)).map((event) => event.type);
      expect(types).toEqual(['queued', 'processing', 'rescheduled', 'processing']);
    } finally {
      await reopened.close();
    }
  });

  it('a processing task of a killed process runs again after its lease', async () => {
    const path = await databasePath();
    const killed = openSqliteDatabase(path);
    const { task } = await new SqliteTaskStore(killed).create(newTask(startMs));
    await new SqliteTaskStore(killed).claim('worker-dead', startMs, leaseMs);
    killed.close();
    const survivor = new SqliteTaskStore(openSqliteDatabase(path));
    try {
      expect(await survivor.claim('worker-b', startMs + leaseMs - 1, leaseMs)).toBeUndefined();
      expect((await survivor.claim('worker-b', startMs + leaseMs, leaseMs))?.task.id).toBe(task.id);
    } finally {
      await survivor.close();
    }
  });
});

describe('SqliteTaskStore group commit', () => {
  it('writes called in one turn commit together yet each gets its own answer, in call order', async () => {
    const store = new SqliteTaskStore(openSqliteDatabase(':memory:'));
    const claim = { key: 'k', requestHash: 'h', expiresAtMs: startMs + 60_000 };
    const first = newTask(startMs);
    const [created, conflict, replay, other] = await Promise.allSettled([
      store.create(first, claim, startMs),
      store.create(newTask(startMs + 1), { ...claim, requestHash: 'another body' }, startMs),
      store.create(newTask(startMs + 2), claim, startMs),
      store.create(newTask(startMs + 3), undefined, startMs),
    ]);
    expect(created).toMatchObject({ status: 'fulfilled', value: { created: true } });
    expect(conflict).toMatchObject({ status: 'rejected', reason: { existingTaskId: first.id } });
    expect(replay).toMatchObject({ status: 'fulfilled', value: { created: false, task: { id: first.id } } });
    expect(other).toMatchObject({ status: 'fulfilled', value: { created: true } });
    // Three workers claiming in the same turn: each claim sees the ones before it.
    const claims = await Promise.all(
      ['w1', 'w2', 'w3'].map((workerId) => store.claim(workerId, startMs + 10, leaseMs)),
    );
    expect(claims.map((claimed) => claimed?.task.id)).toEqual([first.id, expect.any(String), undefined]);
    expect(claims[1]?.task.id).not.toBe(first.id);
    await store.close();
  });
});

describe('SqliteTaskStore schema', () => {
  it('records its schema version and refuses a database from a newer version', () => {
    const database = openSqliteDatabase(':memory:');
    new SqliteTaskStore(database, { closeDatabase: false });
    expect(database.prepare('SELECT version FROM schema_version').all()).toEqual([
      { version: sqliteSchemaVersion },
    ]);
    new SqliteTaskStore(database, { closeDatabase: false });
    expect(database.prepare('SELECT COUNT(*) AS count FROM schema_version').get()).toEqual({ count: 1 });
    database.prepare('UPDATE schema_version SET version = ?').run(sqliteSchemaVersion + 1);
    expect(() => new SqliteTaskStore(database)).toThrow(
      `schema version ${sqliteSchemaVersion + 1}; this imagegate reads up to ${sqliteSchemaVersion}`,
    );
    database.close();
  });

  it('fails loudly on a corrupted row instead of returning a bad record', async () => {
    const database = openSqliteDatabase(':memory:');
    const store = new SqliteTaskStore(database);
    const { task } = await store.create(newTask(startMs));
    database.prepare("UPDATE tasks SET record_json = json_set(record_json, '$.status', 'exploded')").run();
    await expect(store.get(task.id)).rejects.toThrow(/status/);
    await store.close();
    expect(database.open).toBe(false);
  });

  it('uses the injected clock when create is given no time', async () => {
    const store = new SqliteTaskStore(openSqliteDatabase(':memory:'), {
      clock: { nowMs: () => startMs + 5, sleep: async () => {} },
    });
    const claim = { key: 'k', requestHash: 'h', expiresAtMs: startMs + 5 };
    await store.create(newTask(startMs), claim);
    expect((await store.create(newTask(startMs + 1), { ...claim, requestHash: 'other' })).created).toBe(true);
    await store.close();
  });
});

describe('SqliteTaskStore folded events', () => {
  const databasePath = temporaryDatabasePaths('imagegate-tasks-folded-');
  const success = {
    modelId: 'gemini-3.1-flash-image',
    platform: 'gemini-api' as const,
    outcome: 'success' as const,
    startedAtMs: startMs,
    latencyMs: 3,
    waitedBeforeMs: 0,
  };
  const completion = {
    status: 'success' as const,
    result: { images: [], nextTurnContents: [] },
    attempts: [success],
    warnings: [],
    servedBy: { modelId: success.modelId, platform: success.platform },
  };

  it("folds a final task's events into its row, read back as they were logged", async () => {
    const database = openSqliteDatabase(':memory:');
    const store = new SqliteTaskStore(database, { closeDatabase: false });
    const { task } = await store.create(newTask(startMs));
    const { lease } = (await store.claim('worker-a', startMs, leaseMs))!;
    await store.recordAttempt(lease, success, startMs + 1);
    await store.setProgress(lease, 90, startMs + 2);
    const logged = await store.eventsAfter(task.id, 0);
    await store.complete(lease, completion, startMs + 3);
    const events = await store.eventsAfter(task.id, 0);
    expect(events.slice(0, -1)).toEqual(logged);
    expect(events.map((event) => event.type)).toEqual([
      'queued',
      'processing',
      'attempt',
      'progress',
      'success',
    ]);
    expect(await store.eventsAfter(task.id, 3)).toEqual(events.slice(3));
    expect(database.prepare('SELECT COUNT(*) AS count FROM task_events').get()).toEqual({ count: 0 });
    await store.close();
    database.close();
  });

  it('migrates a version 1 file: its event rows stay readable and fold when the task finishes', async () => {
    const path = await databasePath();
    const first = new SqliteTaskStore(openSqliteDatabase(path));
    const { task } = await first.create(newTask(startMs));
    const { lease } = (await first.claim('worker-a', startMs, leaseMs))!;
    await first.close();
    const version1 = openSqliteDatabase(path);
    version1.exec('DROP TABLE task_event_logs; UPDATE schema_version SET version = 1');
    version1.close();

    const database = openSqliteDatabase(path);
    const migrated = new SqliteTaskStore(database, { closeDatabase: false });
    expect(database.prepare('SELECT version FROM schema_version').all()).toEqual([
      { version: sqliteSchemaVersion },
    ]);
    expect((await migrated.eventsAfter(task.id, 0)).map((event) => event.type)).toEqual([
      'queued',
      'processing',
    ]);
    expect(await migrated.complete(lease, completion, startMs + 1)).toBe(true);
    expect((await migrated.eventsAfter(task.id, 0)).map((event) => event.type)).toEqual([
      'queued',
      'processing',
      'success',
    ]);
    await migrated.close();
    database.close();
  });
});

describe('SqliteTaskStore claim query', () => {
  it('reads the due-order index, with no scan and no sort, however many tasks are parked', async () => {
    const database = openSqliteDatabase(':memory:');
    const store = new SqliteTaskStore(database, { closeDatabase: false });
    for (let index = 0; index < 200; index += 1) await store.create(newTask(startMs + index));
    database.exec('ANALYZE');
    const plan = database
      .prepare<[number], { detail: string }>(`EXPLAIN QUERY PLAN ${claimableQueuedSql}`)
      .all(startMs)
      .map((row) => row.detail);
    expect(plan).toEqual([
      expect.stringMatching(
        /^SEARCH tasks USING (COVERING )?INDEX tasks_by_status_due \(status=\? AND run_after_ms<\?\)$/,
      ),
    ]);
    await store.close();
    database.close();
  });
});
