/**
 * The PostgreSQL half of the task store, loaded only when a deployment names `store: postgres`
 * (`loadPostgresAdapter` in index.ts): `pg` and Kysely cost about 200 ms of start-up and 15 MB of memory
 * that a server on the embedded SQLite store never uses.
 */
export { openPostgresPool, postgresConnectionConfig } from './postgres-connection.js';
export {
  migratePostgres,
  postgresMigrationNames,
  UnknownPostgresMigrationError,
} from './postgres-migrations.js';
export { PostgresTaskStore } from './postgres-task-store.js';
export { PostgresTaskListener } from './postgres-task-listener.js';
export { copySqliteToPostgres } from './copy-sqlite-to-postgres.js';
