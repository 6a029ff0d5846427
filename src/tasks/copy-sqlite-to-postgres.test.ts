import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import {
  flowContentHash,
  newFlowRunId,
  PostgresFlowStore,
  SqliteFlowStore,
  validateFlowDocument,
  type FlowDocument,
} from '../flows/index.js';
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

/** A data directory that never stored a flow has no flow tables: nothing to copy, no error. */
const noFlows = Object.fromEntries(
  ['flows', 'flow_versions', 'flow_runs', 'flow_node_runs', 'flow_node_cache', 'flow_run_idempotency'].map(
    (table) => [table, { read: 0, inserted: 0 }],
  ),
);

function flowDocument(): FlowDocument {
  const validation = validateFlowDocument(
    `name: poster\ninputs:\n  brief: { type: string }\nnodes:\n  out: { type: output, results: { text: '{{nodes.hero.text}}' } }\n  hero: { type: template, template: 'About {{inputs.brief}}' }\n`,
    { file: 'poster.yaml' },
  );
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.document;
}

describe.skipIf(!available)('copySqliteToPostgres', () => {
  const schema = temporaryPostgresSchema('imagegate_copy');
  /** The flow tables are not among those the task store's helper empties. */
  const truncateFlows = (pool: pg.Pool) =>
    pool.query(
      'TRUNCATE flows, flow_versions, flow_runs, flow_node_runs, flow_node_cache, flow_run_idempotency',
    );

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
        ...noFlows,
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
      expect(Object.values(again).every((table) => table.inserted === 0)).toBe(true);
    } finally {
      await pool.end();
      await sqlite.close();
      database.close();
    }
  });

  it('copies flows with their versions, runs in every state, node runs in order, node cache and run keys', async () => {
    const temporary = await schema();
    await temporary.truncate();
    const database = openSqliteDatabase(':memory:');
    const clock = new ManualClock(startMs);
    const sqlite = new SqliteFlowStore(database, { clock });
    const document = flowDocument();
    await sqlite.saveDraft(document, 'key_aaaaaaaaaaaa', 'name: poster # as written\n');
    await sqlite.insertVersion({
      flowName: 'poster',
      sha256: flowContentHash(document),
      document,
      message: 'first',
      publishedBy: 'key_aaaaaaaaaaaa',
      source: 'name: poster # as written\n',
    });
    clock.advance(1_000);
    await sqlite.insertVersion({
      flowName: 'poster',
      sha256: flowContentHash(document),
      document,
      message: 'rollback to version 1',
      rollbackOf: 1,
    });
    const runs = (['succeeded', 'running', 'failed'] as const).map((status, index) => ({
      id: newFlowRunId(startMs + index),
      flowName: 'poster',
      version: 1,
      versionSha256: flowContentHash(document),
      document,
      status,
      inputs: { brief: `brief ${index}` },
      ownerKeyId: 'key_aaaaaaaaaaaa',
      generation: 0,
      noCache: false,
      createdAtMs: startMs + index,
      updatedAtMs: startMs + index,
      warnings: [],
    }));
    for (const run of runs) {
      await sqlite.insertRun(
        run,
        ['out', 'hero'].map((nodeId) => ({
          runId: run.id,
          nodeId,
          type: nodeId === 'out' ? ('output' as const) : ('text' as const),
          status: 'pending' as const,
          cached: false,
          taskIds: [],
          warnings: [],
        })),
      );
    }
    await sqlite.saveNodeRun(
      {
        runId: runs[0]!.id,
        nodeId: 'hero',
        type: 'text',
        status: 'succeeded',
        cached: false,
        taskIds: [],
        output: { text: 'bold' },
        warnings: [],
      },
      { signature: 'sig-hero', costUsd: 0.002 },
    );
    await sqlite.rememberIdempotentRun('key_a:poster:k', 'h', runs[0]!.id, 60_000);

    const pool = temporary.pool();
    try {
      await truncateFlows(pool);
      const report = await copySqliteToPostgres(database, pool);
      expect(report).toMatchObject({
        flows: { read: 1, inserted: 1 },
        flow_versions: { read: 2, inserted: 2 },
        flow_runs: { read: 3, inserted: 3 },
        flow_node_runs: { read: 6, inserted: 6 },
        flow_node_cache: { read: 1, inserted: 1 },
        flow_run_idempotency: { read: 1, inserted: 1 },
      });
      const postgres = new PostgresFlowStore(pool, { clock });
      expect(await postgres.getFlow('poster')).toEqual(await sqlite.getFlow('poster'));
      expect(Object.keys((await postgres.getFlow('poster'))!.draft.nodes)).toEqual(
        Object.keys(document.nodes),
      );
      expect(await postgres.listVersions('poster')).toEqual(await sqlite.listVersions('poster'));
      expect(await postgres.listRuns({})).toEqual(await sqlite.listRuns({}));
      for (const run of runs) expect(await postgres.nodeRuns(run.id)).toEqual(await sqlite.nodeRuns(run.id));
      expect(await postgres.cachedOutput('sig-hero')).toEqual({ output: { text: 'bold' }, costUsd: 0.002 });
      expect(await postgres.findIdempotentRun('key_a:poster:k', 'h')).toBe(runs[0]!.id);
      // The copied flow goes on from where it was: the next publish is version 3.
      const next = await postgres.insertVersion({
        flowName: 'poster',
        sha256: flowContentHash(document),
        document,
        message: 'after the move',
      });
      expect(next.version).toBe(3);

      const again = await copySqliteToPostgres(database, pool);
      expect(Object.values(again).every((table) => table.inserted === 0)).toBe(true);
    } finally {
      await pool.end();
      database.close();
    }
  });
});
