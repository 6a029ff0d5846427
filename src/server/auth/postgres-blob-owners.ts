import type pg from 'pg';
import { KEYLESS_OWNER, type BlobOwnership } from './blob-owners.js';
import type { CallerScope } from './caller-scope.js';

/**
 * Blob ownership in PostgreSQL (the `blob_owners` table of the migrations), so every instance answers
 * the same: an image a task made on one instance is its key's on all of them. Task outputs become owned
 * by a trigger in the transaction that completes the task, as on SQLite.
 */
export class PostgresBlobOwners implements BlobOwnership {
  constructor(private readonly pool: pg.Pool) {}

  async add(sha256: string, keyId: string | undefined): Promise<void> {
    await this.pool.query('INSERT INTO blob_owners (sha256, owner) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      sha256,
      keyId ?? KEYLESS_OWNER,
    ]);
  }

  async reachable(scope: CallerScope, sha256: string): Promise<boolean> {
    if (scope.admin) return true;
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM blob_owners WHERE sha256 = $1 AND owner = $2 LIMIT 1',
      [sha256, scope.keyId ?? KEYLESS_OWNER],
    );
    return rowCount !== 0;
  }
}
