import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { migratePostgres } from '../postgres-migrations.js';
import { openPostgresPool } from '../postgres-connection.js';

/** Where the tests look for PostgreSQL; `IMAGEGATE_TEST_POSTGRES_URL` points them elsewhere. */
export const testPostgresUrl =
  process.env.IMAGEGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let probe: Promise<boolean> | undefined;

/**
 * Whether a PostgreSQL answers at `testPostgresUrl`. Where none does, the suites skip with one printed
 * line, except under `CI=true`, where a missing database is a failure, never a silent skip.
 */
export function postgresAvailable(): Promise<boolean> {
  return (probe ??= (async () => {
    const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      if (process.env.CI === 'true') {
        throw new Error(`CI=true but no PostgreSQL answers at ${testPostgresUrl}: ${String(error)}`, {
          cause: error,
        });
      }
      console.warn(`PostgreSQL tests skipped: none answers at ${testPostgresUrl} (${String(error)}).`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })());
}

export interface TemporaryPostgresSchema {
  name: string;
  /** A new pool on the schema (migrated); the caller ends it. */
  pool(): pg.Pool;
  /** Empties every table, so the next test starts from a fresh store. */
  truncate(): Promise<void>;
}

/**
 * A schema of its own for the calling test file (random name), migrated once and dropped after the
 * file's tests, so parallel runs and parallel files never see each other's rows. Call at describe level
 * and await inside a hook or test.
 */
export function temporaryPostgresSchema(prefix = 'imagegate_test'): () => Promise<TemporaryPostgresSchema> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  let ready: Promise<TemporaryPostgresSchema> | undefined;
  let admin: pg.Pool | undefined;
  afterAll(async () => {
    if (!ready || !admin) return;
    await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await admin.end();
  });
  return () =>
    (ready ??= (async () => {
      admin = openPostgresPool(testPostgresUrl, { schema: name, max: 2 });
      await migratePostgres(admin, { schema: name });
      const pool = admin;
      return {
        name,
        pool: () => openPostgresPool(testPostgresUrl, { schema: name }),
        truncate: async () => {
          await pool.query(
            'TRUNCATE tasks, task_events, idempotency_keys, api_keys, webhook_deliveries, blob_owners RESTART IDENTITY',
          );
        },
      };
    })());
}
