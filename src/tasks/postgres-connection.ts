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
