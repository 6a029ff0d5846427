import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { inPostgresTransaction } from './postgres-transaction.js';
import { taskRecordSchema } from './task-record-schema.js';
import { unfoldTaskEvents } from './folded-task-events.js';

/** What was copied, per table: rows read from SQLite, rows new in PostgreSQL (a re-run adds none). */
export type CopyReport = Record<CopiedTable, { read: number; inserted: number }>;
type CopiedTable =
  | 'tasks'
  | 'task_events'
  | 'idempotency_keys'
  | 'api_keys'
  | 'webhook_deliveries'
  | 'flows'
  | 'flow_versions'
  | 'flow_runs'
  | 'flow_node_runs'
  | 'flow_node_cache'
  | 'flow_run_idempotency';

/** Rows per INSERT; keeps each statement's parameter count far below PostgreSQL's 65535. */
const BATCH_ROWS = 500;

interface TableCopy {
  table: CopiedTable;
  /** SQLite query; its columns are the PostgreSQL columns, in order. */
  select: string;
  columns: string[];
  /** Primary key, for ON CONFLICT DO NOTHING: copying twice changes nothing. */
  key: string;
  /** Checks and converts a row (JSON text to JSONB values). */
  convert?(row: Record<string, unknown>): Record<string, unknown>;
  /** Rows kept in another form, already converted. */
  moreRows?(source: BetterSqlite3.Database): Record<string, unknown>[];
}

/**
 * A SQLite JSON text column as the text PostgreSQL's json column takes: parsed first, so a corrupt row
 * stops the copy before anything commits, and passed on as text, so key order (a flow's node order)
 * stays as written.
 */
function jsonText(value: unknown): string {
  return JSON.stringify(JSON.parse(String(value)));
}

const tables: TableCopy[] = [
  {
    table: 'tasks',
    select: `SELECT id, status, model, api_key_id, created_at_ms, run_after_ms, lease_expires_at_ms, fencing_token,
               record_json AS record FROM tasks ORDER BY created_at_ms, id`,
    columns: [
      'id',
      'status',
      'model',
      'api_key_id',
      'created_at_ms',
      'run_after_ms',
      'lease_expires_at_ms',
      'fencing_token',
      'record',
    ],
    key: 'id',
    // Every record is read through the schema: a corrupt row stops the copy before anything commits.
    convert: (row) => ({ ...row, record: taskRecordSchema.parse(JSON.parse(String(row.record))) }),
  },
  {
    table: 'task_events',
    select:
      'SELECT task_id, sequence, type, at_ms, data_json AS data FROM task_events ORDER BY task_id, sequence',
    columns: ['task_id', 'sequence', 'type', 'at_ms', 'data'],
    key: 'task_id, sequence',
    convert: (row) => ({ ...row, data: JSON.parse(String(row.data)) as unknown }),
    // Finished tasks' events, folded into one row each (a file from before that has none).
    moreRows: (source) =>
      !tableExists(source, 'task_event_logs')
        ? []
        : source
            .prepare<[], { id: string; events_json: string; record_json: string }>(
              `SELECT tasks.id, logs.events_json, tasks.record_json
             FROM task_event_logs AS logs JOIN tasks ON tasks.id = logs.task_id ORDER BY tasks.id`,
            )
            .all()
            .flatMap((row) =>
              unfoldTaskEvents(
                row.id,
                row.events_json,
                () => taskRecordSchema.parse(JSON.parse(row.record_json)),
                0,
              ).map((event) => ({
                task_id: event.taskId,
                sequence: event.sequence,
                type: event.type,
                at_ms: event.atMs,
                data: event.data,
              })),
            ),
  },
  {
    table: 'idempotency_keys',
    select: 'SELECT key, request_hash, task_id, expires_at_ms FROM idempotency_keys ORDER BY key',
    columns: ['key', 'request_hash', 'task_id', 'expires_at_ms'],
    key: 'key',
  },
  {
    table: 'api_keys',
    // rowid order is creation order within one millisecond; the PostgreSQL position keeps it.
    // Every column there is: files from before admin keys lack `admin` (their keys are ordinary ones).
    select: 'SELECT * FROM api_keys ORDER BY created_at_ms, rowid',
    convert: (row) => ({ ...row, admin: row['admin'] ?? 0 }),
    columns: [
      'id',
      'name',
      'prefix',
      'secret_sha256',
      'created_at_ms',
      'revoked_at_ms',
      'rate_limit_per_minute',
      'monthly_budget_usd',
      'admin',
    ],
    key: 'id',
  },
  {
    table: 'webhook_deliveries',
    // Files from before deliveries had owners lack `api_key_id` (copied as none).
    select: 'SELECT * FROM webhook_deliveries ORDER BY id',
    columns: [
      'id',
      'task_id',
      'api_key_id',
      'url',
      'event_type',
      'payload',
      'status',
      'attempts',
      'created_at_ms',
      'next_attempt_at_ms',
      'last_attempt_at_ms',
      'last_status_code',
      'last_error',
      'delivered_at_ms',
      'dead_at_ms',
    ],
    key: 'id',
  },
  /*
   * Flows (tables of SqliteFlowStore, migration 0003-flows). Files from before flow sources lack the
   * source columns (copied as none). Node runs and cache entries go in rowid order: PostgreSQL's position
   * keeps a run's node order and the cache's eviction order.
   */
  {
    table: 'flows',
    select: 'SELECT * FROM flows ORDER BY name',
    columns: ['name', 'owner_key_id', 'draft', 'draft_source', 'created_at_ms', 'updated_at_ms'],
    key: 'name',
    convert: (row) => ({ ...row, draft: jsonText(row.draft_json) }),
  },
  {
    table: 'flow_versions',
    select: 'SELECT * FROM flow_versions ORDER BY flow_name, version',
    columns: [
      'flow_name',
      'version',
      'sha256',
      'document',
      'message',
      'published_by',
      'published_at_ms',
      'rollback_of',
      'source',
    ],
    key: 'flow_name, version',
    convert: (row) => ({ ...row, document: jsonText(row.document_json) }),
  },
  {
    table: 'flow_runs',
    select: 'SELECT * FROM flow_runs ORDER BY created_at_ms, id',
    columns: ['id', 'flow_name', 'owner_key_id', 'status', 'created_at_ms', 'record'],
    key: 'id',
    convert: (row) => ({ ...row, record: jsonText(row.record_json) }),
  },
  {
    table: 'flow_node_runs',
    select: 'SELECT * FROM flow_node_runs ORDER BY rowid',
    columns: ['run_id', 'node_id', 'record'],
    key: 'run_id, node_id',
    convert: (row) => ({ ...row, record: jsonText(row.record_json) }),
  },
  {
    table: 'flow_node_cache',
    select: 'SELECT * FROM flow_node_cache ORDER BY rowid',
    columns: ['signature', 'output', 'cost_usd', 'created_at_ms'],
    key: 'signature',
    convert: (row) => ({ ...row, output: jsonText(row.output_json) }),
  },
  {
    table: 'flow_run_idempotency',
    select: 'SELECT * FROM flow_run_idempotency ORDER BY key',
    columns: ['key', 'request_hash', 'run_id', 'expires_at_ms'],
    key: 'key',
  },
];

/**
 * Copies a single-instance installation's SQLite database (tasks, their events, idempotency keys, API
 * keys, webhook deliveries; flows with their versions, runs, node runs, node cache and run
 * Idempotency-Keys) into a migrated PostgreSQL schema, in one transaction: all of it lands, or
 * none. Rows already there (same key) are left alone, so an interrupted copy can simply be run again.
 * Blobs are not copied: point `server.blobs` at the same files, or upload them to the bucket.
 * Stop the SQLite server first: tasks it changes during the copy would be missed.
 */
export async function copySqliteToPostgres(
  source: BetterSqlite3.Database,
  target: pg.Pool,
): Promise<CopyReport> {
  const report = {} as CopyReport;
  await inPostgresTransaction(target, async (client) => {
    for (const copy of tables) {
      if (!tableExists(source, copy.table)) {
        // A server that never made a key or sent a webhook has no such table yet.
        report[copy.table] = { read: 0, inserted: 0 };
        continue;
      }
      const rows = [
        ...(source.prepare(copy.select).all() as Record<string, unknown>[]).map((row) =>
          copy.convert ? copy.convert(row) : row,
        ),
        ...(copy.moreRows?.(source) ?? []),
      ];
      let inserted = 0;
      for (let start = 0; start < rows.length; start += BATCH_ROWS) {
        const batch = rows.slice(start, start + BATCH_ROWS);
        const values: unknown[] = [];
        const tuples = batch.map((row) => {
          const placeholders = copy.columns.map((column) => {
            values.push(row[column] ?? null);
            return `$${values.length}`;
          });
          return `(${placeholders.join(', ')})`;
        });
        const result = await client.query(
          `INSERT INTO ${copy.table} (${copy.columns.join(', ')}) VALUES ${tuples.join(', ')}
           ON CONFLICT (${copy.key}) DO NOTHING`,
          values,
        );
        inserted += result.rowCount ?? 0;
      }
      report[copy.table] = { read: rows.length, inserted };
    }
  });
  return report;
}

function tableExists(database: BetterSqlite3.Database, table: string): boolean {
  return (
    database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined
  );
}
