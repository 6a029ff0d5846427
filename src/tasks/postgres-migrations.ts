import { Kysely, Migrator, PostgresDialect, sql, type Migration } from 'kysely';
import type pg from 'pg';
import { storedMediaPathPrefix } from './stored-contents.js';
import { ImagegateError, type ImagegateErrorOptions } from '../errors/index.js';

/*
 * The PostgreSQL schema, as an ordered list of migrations kept in code (Kysely's Migrator records which
 * ran in `kysely_migration` and holds an advisory lock while migrating, so two instances starting at once
 * do not race). Never edit a migration that has shipped: add the next one.
 *
 * Times are integer milliseconds chosen by the application's injected clock (never PostgreSQL's now()),
 * so tests with a faked clock and servers with a skewed one agree with what they wrote. The task record
 * lives whole in `record` (the source of truth); the other columns copy what claims, fencing and listings
 * filter or sort on.
 */
const migrations: Record<string, Migration> = {
  '0001-tasks': {
    async up(db) {
      await sql`
        CREATE TABLE tasks (
          -- Byte-wise order, as in SQLite and JavaScript: ties in created_at_ms page by id.
          id TEXT COLLATE "C" PRIMARY KEY,
          status TEXT NOT NULL,
          model TEXT NOT NULL,
          api_key_id TEXT,
          created_at_ms BIGINT NOT NULL,
          run_after_ms BIGINT NOT NULL,
          lease_expires_at_ms BIGINT,
          fencing_token BIGINT NOT NULL,
          -- When the task may be claimed: a queued task at run_after_ms, a processing one once its lease
          -- expired; final tasks never.
          claimable_at_ms BIGINT GENERATED ALWAYS AS (
            CASE status WHEN 'queued' THEN run_after_ms WHEN 'processing' THEN lease_expires_at_ms END
          ) STORED,
          record JSONB NOT NULL
        )`.execute(db);
      await sql`CREATE INDEX tasks_claimable ON tasks (created_at_ms, id) WHERE claimable_at_ms IS NOT NULL`.execute(
        db,
      );
      await sql`CREATE INDEX tasks_by_age ON tasks (created_at_ms, id)`.execute(db);
      await sql`CREATE INDEX tasks_by_status_age ON tasks (status, created_at_ms, id)`.execute(db);
      await sql`CREATE INDEX tasks_by_key_age ON tasks (api_key_id, created_at_ms, id)`.execute(db);
      await sql`
        CREATE TABLE task_events (
          task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
          sequence INTEGER NOT NULL,
          type TEXT NOT NULL,
          at_ms BIGINT NOT NULL,
          data JSONB NOT NULL,
          PRIMARY KEY (task_id, sequence)
        )`.execute(db);
      await sql`
        CREATE TABLE idempotency_keys (
          key TEXT PRIMARY KEY,
          request_hash TEXT NOT NULL,
          task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
          expires_at_ms BIGINT NOT NULL
        )`.execute(db);
      await sql`CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at_ms)`.execute(db);
      await sql`
        CREATE TABLE api_keys (
          id TEXT PRIMARY KEY,
          -- Creation order within one millisecond (SQLite's rowid).
          position BIGSERIAL NOT NULL,
          name TEXT NOT NULL,
          prefix TEXT NOT NULL,
          secret_sha256 TEXT NOT NULL UNIQUE,
          created_at_ms BIGINT NOT NULL,
          revoked_at_ms BIGINT,
          rate_limit_per_minute INTEGER,
          monthly_budget_usd DOUBLE PRECISION
        )`.execute(db);
      await sql`CREATE INDEX api_keys_by_prefix ON api_keys (prefix)`.execute(db);
      await sql`
        CREATE TABLE webhook_deliveries (
          id TEXT PRIMARY KEY,
          task_id TEXT NOT NULL,
          url TEXT NOT NULL,
          event_type TEXT NOT NULL,
          payload TEXT NOT NULL,
          status TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at_ms BIGINT NOT NULL,
          next_attempt_at_ms BIGINT,
          last_attempt_at_ms BIGINT,
          last_status_code INTEGER,
          last_error TEXT,
          delivered_at_ms BIGINT,
          dead_at_ms BIGINT
        )`.execute(db);
      await sql`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at_ms)`.execute(
        db,
      );
      await sql`CREATE INDEX webhook_deliveries_by_task ON webhook_deliveries (task_id)`.execute(db);
    },
  },
  // Admin keys see every key's resources; a webhook delivery belongs to the key of its task.
  '0002-admin-keys-and-delivery-owners': {
    async up(db) {
      await sql`ALTER TABLE api_keys ADD COLUMN admin INTEGER NOT NULL DEFAULT 0`.execute(db);
      await sql`ALTER TABLE webhook_deliveries ADD COLUMN api_key_id TEXT`.execute(db);
      // Which keys own which blobs; a task's outputs (its images and the stored images of its next turn)
      // become its key's in the transaction that makes it a success.
      await sql`CREATE TABLE blob_owners (
          sha256 TEXT NOT NULL,
          owner TEXT NOT NULL,
          PRIMARY KEY (sha256, owner)
        )`.execute(db);
      await sql`CREATE FUNCTION own_task_outputs() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO blob_owners (sha256, owner)
            SELECT item->>'sha256', COALESCE(NEW.api_key_id, '')
            FROM jsonb_array_elements(COALESCE(NEW.record->'result'->'images', '[]'::jsonb)) AS item
            ON CONFLICT DO NOTHING;
          INSERT INTO blob_owners (sha256, owner)
            SELECT substr(uri #>> '{}', ${sql.lit(storedMediaPathPrefix.length + 1)}), COALESCE(NEW.api_key_id, '')
            FROM jsonb_path_query(NEW.record, '$.result.nextTurnContents[*].parts[*].fileData.fileUri') AS uri
            WHERE starts_with(uri #>> '{}', ${sql.lit(storedMediaPathPrefix)})
            ON CONFLICT DO NOTHING;
          RETURN NEW;
        END $$`.execute(db);
      await sql`CREATE TRIGGER blob_owners_of_task_outputs AFTER UPDATE OF status ON tasks FOR EACH ROW
        WHEN (NEW.status = 'success' AND OLD.status <> 'success') EXECUTE FUNCTION own_task_outputs()`.execute(
        db,
      );
      // Claims take the queued task due longest first: the index follows that order.
      await sql`CREATE INDEX tasks_due ON tasks (status, run_after_ms, created_at_ms, id)`.execute(db);
    },
  },
  /*
   * Flows (src/flows/postgres-flow-store.ts): drafts, immutable versions, runs, node runs, the node cache
   * and run Idempotency-Keys. Documents and records are `json`, not `jsonb`: json keeps the author's key
   * order, and the order of a document's nodes is the order its node runs are made and shown in.
   */
  '0003-flows': {
    async up(db) {
      await sql`
        CREATE TABLE flows (
          name TEXT COLLATE "C" PRIMARY KEY,
          owner_key_id TEXT,
          draft JSON NOT NULL,
          draft_source TEXT,
          created_at_ms BIGINT NOT NULL,
          updated_at_ms BIGINT NOT NULL
        )`.execute(db);
      await sql`
        CREATE TABLE flow_versions (
          flow_name TEXT COLLATE "C" NOT NULL REFERENCES flows (name) ON DELETE CASCADE,
          -- Two publishes that pick the same number collide here; the store numbers again.
          version INTEGER NOT NULL CHECK (version > 0),
          sha256 TEXT NOT NULL,
          document JSON NOT NULL,
          message TEXT NOT NULL,
          published_by TEXT,
          published_at_ms BIGINT NOT NULL,
          rollback_of INTEGER,
          source TEXT,
          PRIMARY KEY (flow_name, version)
        )`.execute(db);
      await sql`
        CREATE TABLE flow_runs (
          id TEXT COLLATE "C" PRIMARY KEY,
          flow_name TEXT COLLATE "C" NOT NULL,
          owner_key_id TEXT,
          status TEXT NOT NULL,
          created_at_ms BIGINT NOT NULL,
          record JSON NOT NULL
        )`.execute(db);
      await sql`CREATE INDEX flow_runs_by_flow ON flow_runs (flow_name, created_at_ms, id)`.execute(db);
      await sql`CREATE INDEX flow_runs_by_status ON flow_runs (status, created_at_ms, id)`.execute(db);
      await sql`
        CREATE TABLE flow_node_runs (
          run_id TEXT COLLATE "C" NOT NULL REFERENCES flow_runs (id) ON DELETE CASCADE,
          node_id TEXT NOT NULL,
          -- The order the run's nodes were stored in (SQLite's rowid); an update keeps it.
          position BIGSERIAL NOT NULL,
          record JSON NOT NULL,
          PRIMARY KEY (run_id, node_id)
        )`.execute(db);
      await sql`
        CREATE TABLE flow_node_cache (
          signature TEXT PRIMARY KEY,
          -- Ties in created_at_ms evict in insertion order, as SQLite's rowid does.
          position BIGSERIAL NOT NULL,
          output JSON NOT NULL,
          cost_usd DOUBLE PRECISION,
          created_at_ms BIGINT NOT NULL
        )`.execute(db);
      // Expiry and eviction both go oldest first.
      await sql`CREATE INDEX flow_node_cache_by_age ON flow_node_cache (created_at_ms, position)`.execute(db);
      await sql`
        CREATE TABLE flow_run_idempotency (
          key TEXT PRIMARY KEY,
          request_hash TEXT NOT NULL,
          run_id TEXT NOT NULL,
          expires_at_ms BIGINT NOT NULL
        )`.execute(db);
    },
  },
  '0004-claim-indexes': {
    async up(db) {
      // Claims look for expired leases among processing tasks. Through tasks_by_status_age they walked
      // every old row version still indexed as processing (one per task that ran since the last vacuum):
      // 396 buffers per claim after 1,900 tasks instead of 4. Keyed by the expiry, the versions whose
      // lease was still running when they were replaced lie outside the range a claim reads.
      await sql`CREATE INDEX tasks_lease_expiry ON tasks (lease_expires_at_ms) WHERE status = 'processing'`.execute(
        db,
      );
      // Read by no query, yet recomputed and reindexed by every write that changes a task's status.
      await sql`DROP INDEX tasks_claimable`.execute(db);
      await sql`ALTER TABLE tasks DROP COLUMN claimable_at_ms`.execute(db);
    },
  },
};

/** The migration names in order; the last is the schema version this imagegate expects. */
export const postgresMigrationNames = Object.keys(migrations);

export interface PostgresMigrationResult {
  /** Migrations applied by this call, in order (empty when the schema was current). */
  applied: string[];
}

/** Thrown when the database was migrated by a newer imagegate: this one could lose its fields. */
export class UnknownPostgresMigrationError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('incompatible_storage', message, options);
  }
}

/**
 * Brings the schema up to date (creating it when `schema` is given and missing). Safe to run from several
 * instances at once; refuses a database that has migrations this imagegate does not know.
 */
export async function migratePostgres(
  pool: pg.Pool,
  options: { schema?: string } = {},
): Promise<PostgresMigrationResult> {
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  // The Kysely instance only borrows the pool; destroying it would end the caller's pool.
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: borrowed(pool) }) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  let outcome = await migrator.migrateToLatest();
  for (
    let attempt = 1;
    attempt < catalogReadAttempts && isOtherSchemaDropped(outcome.error, options.schema);
    attempt++
  ) {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  if (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/corrupted migrations/i.test(message)) {
      throw new UnknownPostgresMigrationError(
        `The PostgreSQL schema was migrated by a newer imagegate (${message}); upgrade imagegate.`,
      );
    }
    throw error instanceof Error ? error : new Error(message);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/**
 * How often the migration runs when its catalog read fails on another schema. Kysely's Migrator finds its
 * own table by reading every schema's tables; a schema another client drops during that read fails it with
 * 3F000 (seen when tests on one server drop their schemas while another migrates). Nothing was changed by
 * then, so running again is safe.
 */
const catalogReadAttempts = 3;

/** Whether a failed migration run failed on a schema other than its own vanishing mid-read (3F000). */
export function isOtherSchemaDropped(error: unknown, ownSchema: string | undefined): boolean {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== '3F000') return false;
  return ownSchema === undefined || !error.message.includes(`"${ownSchema}"`);
}

/** The pool with `end` made a no-op, so Kysely's cleanup cannot close a pool it does not own. */
function borrowed(pool: pg.Pool): pg.Pool {
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'end') return async () => {};
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
