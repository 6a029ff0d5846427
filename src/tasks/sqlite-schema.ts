import type Database from 'better-sqlite3';
import { ImagegateError, type ImagegateErrorOptions } from '../errors/index.js';

/** Bumped, with a migration step below, whenever the tables change shape. */
export const sqliteSchemaVersion = 2;

/*
 * The whole record lives in `record_json` (the source of truth); the other columns copy the fields that
 * claims, fencing and listings filter or sort on, so those stay index lookups. A task's events are rows of
 * `task_events` until it is final, then one JSON array in `task_event_logs` (folded-task-events.ts),
 * beside the row rather than in it: a task row that grew past half a page would take a page to itself.
 */
const createStatements = [
  `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS tasks (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     model TEXT NOT NULL,
     api_key_id TEXT,
     created_at_ms INTEGER NOT NULL,
     run_after_ms INTEGER NOT NULL,
     lease_expires_at_ms INTEGER,
     fencing_token INTEGER NOT NULL,
     record_json TEXT NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS tasks_by_status_age ON tasks (status, created_at_ms, id)`,
  `CREATE INDEX IF NOT EXISTS tasks_by_age ON tasks (created_at_ms, id)`,
  // The claim's filter and order: due queued tasks are found without reading the ones parked for later.
  `CREATE INDEX IF NOT EXISTS tasks_by_status_due ON tasks (status, run_after_ms, created_at_ms, id)`,
  `CREATE TABLE IF NOT EXISTS task_events (
     task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
     sequence INTEGER NOT NULL,
     type TEXT NOT NULL,
     at_ms INTEGER NOT NULL,
     data_json TEXT NOT NULL,
     PRIMARY KEY (task_id, sequence)
   )`,
  `CREATE TABLE IF NOT EXISTS task_event_logs (
     task_id TEXT PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
     events_json TEXT NOT NULL
   ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS idempotency_keys (
     key TEXT PRIMARY KEY,
     request_hash TEXT NOT NULL,
     task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
     expires_at_ms INTEGER NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS idempotency_keys_by_expiry ON idempotency_keys (expires_at_ms)`,
];

/**
 * `migrationSteps[n - 1]` takes a file from version n to n + 1, after the statements above created any
 * missing table. 1 → 2 adds `task_event_logs` (created above): tasks finished before it keep their event
 * rows, and the store reads either form; the version tells an older imagegate not to read the file.
 */
const migrationSteps: Array<(database: Database.Database) => void> = [() => {}];

/** Thrown when the file was written by a newer imagegate: reading it could lose fields. */
export class UnsupportedSchemaVersionError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('incompatible_storage', message, options);
  }
}

/** Creates the tables if missing and records the schema version; idempotent, safe from two processes. */
export function ensureSqliteSchema(database: Database.Database): void {
  database
    .transaction(() => {
      for (const statement of createStatements) database.prepare(statement).run();
      const row = database.prepare('SELECT MAX(version) AS version FROM schema_version').get() as {
        version: number | null;
      };
      if (row.version === null) {
        database.prepare('INSERT INTO schema_version (version) VALUES (?)').run(sqliteSchemaVersion);
      } else if (row.version < sqliteSchemaVersion) {
        for (const step of migrationSteps.slice(row.version - 1)) step(database);
        database.prepare('UPDATE schema_version SET version = ?').run(sqliteSchemaVersion);
      } else if (row.version > sqliteSchemaVersion) {
        throw new UnsupportedSchemaVersionError(
          `The task database has schema version ${row.version}; this imagegate reads up to ${sqliteSchemaVersion}. ` +
            'Upgrade imagegate or point it at another database file.',
        );
      }
    })
    .immediate();
}
