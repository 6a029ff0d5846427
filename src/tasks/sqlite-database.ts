import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export interface SqliteDatabaseOptions {
  /**
   * `full` (default) syncs the write-ahead log on every commit, so a task acknowledged to a client
   * survives a power cut; `normal` survives a process crash only, and is faster.
   */
  synchronous?: 'full' | 'normal';
  /** How long a writer waits for another connection's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) a SQLite database for the task store: WAL journal so readers never block the
 * writer, a busy timeout so two processes on one file queue instead of failing, foreign keys enforced.
 * `:memory:` gives a private in-memory database.
 */
export function openSqliteDatabase(path: string, options: SqliteDatabaseOptions = {}): Database.Database {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) {
    // Prompts and key hashes live here: owner-only. SQLite gives the -wal and -shm files the mode of the
    // database file, so creating that one 0600 before SQLite does covers all three.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  }
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  database.pragma('foreign_keys = ON');
  database.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  return database;
}
