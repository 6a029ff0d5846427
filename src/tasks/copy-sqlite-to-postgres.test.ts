import { describe, expect, it } from 'vitest';
import { copySqliteToPostgres } from './copy-sqlite-to-postgres.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteTaskStore } from './sqlite-task-store.js';
import { PostgresTaskStore } from './postgres-task-store.js';
import { newTaskId } from './task-id.js';
import type { NewTask } from './task-store.js';
import { postgresAvailable, temporaryPostgresSchema } from './test-support/temporary-postgres.js';

const available = await postgresAvailable();
const startMs = Date.UTC(2026, 2, 1, 12);
const newTask = (createdAtMs: number, apiKeyId?: string): NewTask => ({
  id: newTaskId(createdAtMs),
  request: {
    model: 'image_fast',
    prompt: `p${createdAtMs}`,
    outputFormat: 'png',
    references: [],
    history: [],
    imageCount: 1,
  },
  metadata: { n: String(createdAtMs) },
  ...(apiKeyId ? { apiKeyId } : {}),
  createdAtMs,
});

describe.skipIf(!available)('copySqliteToPostgres', () => {
  const schema = temporaryPostgresSchema('imagegate_copy');

  it('copies tasks in every state with their events, idempotency keys, API keys and webhook deliveries', async () => {
    const temporary = await schema();
    await temporary.truncate();
    const database = openSqliteDatabase(':memory:');
    const sqlite = new SqliteTaskStore(database, { closeDatabase: false });
    // Keys and deliveries as the server's stores write them (same tables, same columns).
    database.exec(`CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, prefix TEXT NOT NULL,
      secret_sha256 TEXT NOT NULL UNIQUE, created_at_ms INTEGER NOT NULL, revoked_at_ms INTEGER,
      rate_limit_per_minute INTEGER, monthly_budget_usd REAL)`);
    database
      .prepare('INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('key_aaaaaaaaaaaa', 'batch', 'igk_AbC123', 'a'.repeat(64), startMs, null, 60, 12.5);
    database.exec(`CREATE TABLE webhook_deliveries (id TEXT PRIMARY KEY, task_id TEXT NOT NULL, url TEXT NOT NULL,
      event_type TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      created_at_ms INTEGER NOT NULL, next_attempt_at_ms INTEGER, last_attempt_at_ms INTEGER, last_status_code INTEGER,
      last_error TEXT, delivered_at_ms INTEGER, dead_at_ms INTEGER)`);

    const queued = (
      await sqlite.create(newTask(startMs), { key: 'key_a:k', requestHash: 'h', expiresAtMs: startMs + 1e6 })
    ).task;
    const done = (await sqlite.create(newTask(startMs + 1, 'key_aaaaaaaaaaaa'))).task;
    const running = (await sqlite.create(newTask(startMs + 2))).task;
    const first = await sqlite.claim('w', startMs + 10, 30_000);
    expect(first?.task.id).toBe(queued.id);
    await sqlite.release(first!.lease, startMs + 11);
    const second = await sqlite.claim('w', startMs + 12, 30_000);
    const third = await sqlite.claim('w', startMs + 13, 30_000);
    await sqlite.complete(
      second!.lease,
      { status: 'failed', error: { type: 'x', code: 'x', message: 'x' }, attempts: [], warnings: [] },
      startMs + 14,
    );
    database
      .prepare(
        `INSERT INTO webhook_deliveries (id, task_id, url, event_type, payload, status, attempts, created_at_ms, dead_at_ms)
        VALUES ('msg_1', ?, 'https://hooks.example', 'task.failed', '{}', 'dead', 8, ?, ?)`,
      )
      .run(done.id, startMs + 15, startMs + 16);

    const pool = temporary.pool();
    try {
      const report = await copySqliteToPostgres(database, pool);
      expect(report).toEqual({
        tasks: { read: 3, inserted: 3 },
        task_events: { read: 8, inserted: 8 },
        idempotency_keys: { read: 1, inserted: 1 },
        api_keys: { read: 1, inserted: 1 },
        webhook_deliveries: { read: 1, inserted: 1 },
      });
      const postgres = new PostgresTaskStore(pool, { closePool: false });
      for (const id of [queued.id, done.id, running.id]) {
        expect(await postgres.get(id)).toEqual(await sqlite.get(id));
        expect(await postgres.eventsAfter(id, 0)).toEqual(await sqlite.eventsAfter(id, 0));
      }
      expect(await postgres.findIdempotent({ key: 'key_a:k', requestHash: 'h' }, startMs)).toEqual(
        await sqlite.get(queued.id),
      );
      // The running task's lease and fencing token came along: its worker's writes still land.
      expect(await postgres.heartbeat(third!.lease, startMs + 20, 30_000)).toBe(true);
      const { rows } = await pool.query('SELECT * FROM api_keys');
      expect(rows[0]).toMatchObject({
        id: 'key_aaaaaaaaaaaa',
        prefix: 'igk_AbC123',
        rate_limit_per_minute: 60,
        monthly_budget_usd: 12.5,
      });
      const again = await copySqliteToPostgres(database, pool);
      expect(Object.values(again).map((table) => table.inserted)).toEqual([0, 0, 0, 0, 0]);
    } finally {
      await pool.end();
      await sqlite.close();
      database.close();
    }
  });
});
