export {
  finalStatuses,
  type TaskStatus,
  type TaskRecord,
  type TaskRequest,
  type TaskResult,
  type TaskError,
  type TaskImage,
  type StoredMediaReference,
} from './task-record.js';
export {
  BudgetExceededError,
  IdempotencyConflictError,
  type SpendCap,
  type TaskBudget,
  type TaskStore,
  type NewTask,
  type IdempotencyClaim,
  type TaskListFilter,
  type Lease,
  type TaskCompletion,
  type TaskEvent,
} from './task-store.js';
export { taskRecordSchema, taskRequestSchema } from './task-record-schema.js';
export { newTaskId, taskIdPattern } from './task-id.js';
export { InvalidCursorError } from './task-cursor.js';
export { openSqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database.js';
export {
  dataDirectoryLayout,
  dataDirectoryPaths,
  openDataDirectory,
  MissingDataDirectoryError,
  type DataDirectoryPaths,
  type OpenDataDirectory,
  type OpenDataDirectoryOptions,
} from './data-directory.js';
export { SqliteTaskStore, type SqliteTaskStoreOptions } from './sqlite-task-store.js';
export { UnsupportedSchemaVersionError } from './sqlite-schema.js';
export { TaskEventHub, type TaskEventListener } from './task-event-hub.js';
export {
  batchLaneOnlineWarning,
  defaultTaskWorkerConcurrency,
  nextTurnContents,
  TaskWorker,
  type TaskWorkerOptions,
} from './task-worker.js';
export {
  imagegateTaskRunner,
  type TaskRunner,
  type TaskRunOptions,
  type RunsImageRequests,
} from './task-runner.js';
export { imageRequestFromTask } from './image-request-from-task.js';
export {
  storedMediaPathPrefix,
  storedMediaUri,
  storedMediaSha256,
  storeInlineMedia,
  loadStoredMedia,
} from './stored-contents.js';
export {
  retentionSweepIntervalMs,
  sweepExpired,
  sweepUntilStopped,
  type RetentionOptions,
  type RetentionSweep,
} from './task-retention.js';
export { decideFailure, type FailureDecision } from './task-failure.js';
export type { PostgresPoolOptions } from './postgres-connection.js';
export { postgresSchemaNameSchema } from './postgres-schema-name.js';
export type { PostgresMigrationResult } from './postgres-migrations.js';
export type { PostgresTaskStoreOptions } from './postgres-task-store.js';
export { inPostgresTransaction } from './postgres-transaction.js';
export { postgresChannels } from './postgres-channels.js';
export type { PostgresTaskListenerOptions } from './postgres-task-listener.js';
export type { CopyReport } from './copy-sqlite-to-postgres.js';
/** The PostgreSQL store, pool, migrations, listener and copy, imported when first asked for. */
export const loadPostgresAdapter = () => import('./postgres-adapter.js');
export type PostgresAdapter = Awaited<ReturnType<typeof loadPostgresAdapter>>;
export { pauseClaimsWhile } from './paused-claims.js';
export { taskSpendUsd } from './task-spend.js';
export { encodeTaskCursor } from './task-cursor.js';
