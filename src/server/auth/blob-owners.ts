import type BetterSqlite3 from 'better-sqlite3';
import { storedMediaPathPrefix } from '../../tasks/index.js';
import type { CallerScope } from './caller-scope.js';

/** How a blob made without a key is owned (SQLite primary keys cannot hold NULL usefully). */
export const KEYLESS_OWNER = '';

/**
 * Which keys own which blobs, wherever that is kept: `BlobOwners` (SQLite, one instance) or
 * `PostgresBlobOwners` (shared by instances). Callers `await` both answers.
 */
export interface BlobOwnership {
  /** Records that `keyId` (undefined: no key) owns the blob. */
  add(sha256: string, keyId: string | undefined): void | Promise<void>;
  /** Whether the caller may reach the blob (admins reach every blob that exists). */
  reachable(scope: CallerScope, sha256: string): boolean | Promise<boolean>;
}

/**
 * Which keys own which blobs. Blobs are content-addressed and shared on disk, so ownership is a separate
 * relation: a key owns what it uploaded, what it sent as a reference and what its tasks produced. A
 * blob is reachable (`GET /v1/images/…`, a `file_…` id in `images`) only by a key that owns it; to
 * anyone else it does not exist, with the same answer as a hash nobody stored (no existence oracle).
 */
export class BlobOwners implements BlobOwnership {
  private readonly insert: BetterSqlite3.Statement<[string, string]>;
  private readonly select: BetterSqlite3.Statement<[string, string], { found: number }>;

  constructor(database: BetterSqlite3.Database) {
    database.exec(`
      CREATE TABLE IF NOT EXISTS blob_owners (
        sha256 TEXT NOT NULL,
        owner TEXT NOT NULL,
        PRIMARY KEY (sha256, owner)
      ) WITHOUT ROWID;
    `);
    const tasksTable = database
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tasks'")
      .get();
    if (tasksTable) {
      // Outputs become owned in the same transaction that makes the task a success, so a crash can
      // never leave a finished task whose images its own key cannot fetch: the images, and the stored
      // media its next_turn_contents refers to (the reply's image as the model sent it).
      const prefix = storedMediaPathPrefix;
      database.exec(`
        DROP TRIGGER IF EXISTS blob_owners_of_task_outputs;
        CREATE TRIGGER blob_owners_of_task_outputs AFTER UPDATE OF status ON tasks
        WHEN NEW.status = 'success' AND OLD.status <> 'success'
        BEGIN
          INSERT OR IGNORE INTO blob_owners (sha256, owner)
          SELECT json_extract(value, '$.sha256'), COALESCE(NEW.api_key_id, '${KEYLESS_OWNER}')
          FROM json_each(NEW.record_json, '$.result.images');
          INSERT OR IGNORE INTO blob_owners (sha256, owner)
          SELECT substr(value, ${prefix.length + 1}), COALESCE(NEW.api_key_id, '${KEYLESS_OWNER}')
          FROM json_tree(NEW.record_json, '$.result.nextTurnContents')
          WHERE key = 'fileUri' AND substr(value, 1, ${prefix.length}) = '${prefix}';
        END;
      `);
    }
    this.insert = database.prepare('INSERT OR IGNORE INTO blob_owners (sha256, owner) VALUES (?, ?)');
    this.select = database.prepare(
      'SELECT 1 AS found FROM blob_owners WHERE sha256 = ? AND owner = ? LIMIT 1',
    );
  }

  /** Records that `keyId` (undefined: no key) owns the blob. */
  add(sha256: string, keyId: string | undefined): void {
    this.insert.run(sha256, keyId ?? KEYLESS_OWNER);
  }

  /** Whether the caller may reach the blob (admins reach every blob that exists). */
  reachable(scope: CallerScope, sha256: string): boolean {
    if (scope.admin) return true;
    return this.select.get(sha256, scope.keyId ?? KEYLESS_OWNER) !== undefined;
  }
}
