import pg from 'pg';
import { postgresUrlSchema } from '../config/index.js';
import { postgresSchemaNameSchema } from './postgres-schema-name.js';

export interface PostgresPoolOptions {
  /** Tables live in this schema (created by `migratePostgres`). Default: the server's `search_path`. */
  schema?: string;
  /** Connections per instance. Default 10. */
  max?: number;
  /** How long to wait for a connection before failing a query. Default 5000 ms. */
  connectionTimeoutMs?: number;
}

/**
 * A connection pool for the PostgreSQL store. A broken connection surfaces as a failed query (the
 * caller decides: the worker stops claiming, submits answer 503), never as an uncaught 'error' event
 * that would end the process when PostgreSQL restarts.
 */
export function openPostgresPool(url: string, options: PostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ ...postgresConnectionConfig(url, options), max: options.max ?? 10 });
  pool.on('error', () => {
    // An idle client lost its connection (PostgreSQL restarted): the pool drops it and opens a new one.
  });
  return pool;
}

/** Validated connection settings for one client (the pool's, and the listener's). */
export function postgresConnectionConfig(
  url: string,
  options: Pick<PostgresPoolOptions, 'schema' | 'connectionTimeoutMs'> = {},
): pg.ClientConfig {
  const connectionString = postgresUrlSchema.parse(url);
  const schema = options.schema === undefined ? undefined : postgresSchemaNameSchema.parse(options.schema);
  return {
    connectionString,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
}

/** Runs `work` in one transaction on one pooled connection; rolls back when it throws. */
export async function inPostgresTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no 'error' listener of the pool's: when PostgreSQL drops the connection
  // between two queries of the transaction (a restart, pg_terminate_backend), the event would end the
  // process. Heard here, the broken client is destroyed on release instead of going back to the pool.
  let broken: Error | undefined;
  const onError = (error: Error) => (broken ??= error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
