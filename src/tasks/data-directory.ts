import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database.js';
import { ImagegateError } from '../errors/index.js';

/**
 * What a data directory holds, named in one place: `imagegate serve`, `keys`, `cost report` and every
 * other command that takes `--data-dir` find the same files through this.
 */
export const dataDirectoryLayout = {
  /** The SQLite database: tasks, events, API keys, webhook deliveries. */
  database: 'tasks.sqlite',
  /** Content-addressed image blobs. */
  blobs: 'blobs',
  /** The generated webhook signing secret, when none is set in the environment. */
  webhookSecret: 'webhook-secret',
} as const;

export interface DataDirectoryPaths {
  directory: string;
  database: string;
  blobs: string;
  webhookSecret: string;
}

/** The absolute paths inside a data directory (relative directories resolve against `cwd`). */
export function dataDirectoryPaths(directory: string, cwd: string): DataDirectoryPaths {
  const absolute = resolve(cwd, directory);
  return {
    directory: absolute,
    database: join(absolute, dataDirectoryLayout.database),
    blobs: join(absolute, dataDirectoryLayout.blobs),
    webhookSecret: join(absolute, dataDirectoryLayout.webhookSecret),
  };
}

export interface OpenDataDirectoryOptions extends SqliteDatabaseOptions {
  /** Relative directories resolve against it. */
  cwd: string;
  /**
   * `false` refuses to create anything: a reader such as `cost report` pointed at the wrong directory
   * should say so instead of reporting an empty, freshly made database.
   */
  create?: boolean;
}

export interface OpenDataDirectory extends DataDirectoryPaths {
  /** The open database handle; the caller closes it. */
  handle: Database.Database;
}

export class MissingDataDirectoryError extends ImagegateError {
  constructor(readonly databasePath: string) {
    super('not_found', `no imagegate database at ${databasePath}`, { code: 'missing_data_directory' });
  }
}

/**
 * Opens the data directory's database, creating the directory (owner-only, since the database holds
 * prompts and key hashes) unless `create: false`.
 */
export function openDataDirectory(directory: string, options: OpenDataDirectoryOptions): OpenDataDirectory {
  const paths = dataDirectoryPaths(directory, options.cwd);
  if (options.create === false && !existsSync(paths.database)) {
    throw new MissingDataDirectoryError(paths.database);
  }
  mkdirSync(paths.directory, { recursive: true, mode: 0o700 });
  // SQLite gives the WAL and shared-memory files the database file's mode, so the file is made (or
  // tightened) owner-only before SQLite opens it; an empty file is a valid new database.
  closeSync(openSync(paths.database, 'a', 0o600));
  chmodSync(paths.database, 0o600);
  return { ...paths, handle: openSqliteDatabase(paths.database, options) };
}
