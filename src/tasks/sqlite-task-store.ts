import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock/index.js';
import type { Attempt } from '../engine/index.js';
import { decodeTaskCursor, encodeTaskCursor } from './task-cursor.js';
import { taskEventDataSchema, taskRecordSchema, taskStatusSchema } from './task-record-schema.js';
import { finalStatuses, type TaskRecord } from './task-record.js';
import {
  BudgetExceededError,
  IdempotencyConflictError,
  type IdempotencyClaim,
  type TaskBudget,
  type Lease,
  type NewTask,
  type TaskCompletion,
  type TaskEvent,
  type TaskListFilter,
  type TaskStore,
} from './task-store.js';
import { ensureSqliteSchema } from './sqlite-schema.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { foldTaskEvents, unfoldTaskEvents } from './folded-task-events.js';
import {
  created,
  attempted,
  claimed,
  finished,
  heartbeat,
  parked,
  claimableById,
  returnedToBatch,
  progressed,
  released,
  rescheduled,
  type FinalCompletion,
  type LeasedChange,
  type PendingTaskEvent,
} from './task-transitions.js';
import { storedMediaPathPrefix } from './stored-contents.js';

export interface SqliteTaskStoreOptions {
  /** Default: the system clock. Used when `create` is called without `nowMs`. */
  clock?: Clock;
  /** Whether `close()` also closes the database handle. Default true. */
  closeDatabase?: boolean;
}

const SPENT_SQL = `SELECT COALESCE(SUM(CASE WHEN status IN ('queued', 'processing')
    THEN COALESCE(json_extract(record_json, '$.actualCostUsd'), json_extract(record_json, '$.estimatedCostUsd'), 0)
    ELSE COALESCE(json_extract(record_json, '$.actualCostUsd'), 0) END), 0) AS spent
  FROM tasks WHERE created_at_ms >= ?`;
/** Rounding room, so a budget of $0.12 fits three tasks of $0.04 despite binary fractions. */
const BUDGET_EPSILON_USD = 1e-9;
/**
 * The next queued task to claim, earliest due first: the order of the tasks_by_status_due index, so a claim
 * reads one index entry however many tasks are parked for later (a test checks the plan).
 */
export const claimableQueuedSql = `SELECT id, created_at_ms FROM tasks WHERE status = 'queued' AND run_after_ms <= ?
  ORDER BY run_after_ms, created_at_ms, id LIMIT 1`;

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

type PendingEvent = PendingTaskEvent;

interface TaskRow {
  record_json: string;
}

/**
 * The task store on SQLite (better-sqlite3). Every write runs in a `BEGIN IMMEDIATE` transaction, so two
 * processes on the same file serialise on the write lock and a claim can never hand one task to two
 * workers. Writes requested in one event-loop turn share one transaction and one fsync (group commit,
 * see sqlite-group-commit.ts), each in its own savepoint, applied in the order they were called; each
 * resolves once that commit is durable. Reads run at once and see only committed writes.
 */
export class SqliteTaskStore implements TaskStore {
  private readonly clock: Clock;
  private readonly closeDatabase: boolean;
  private readonly statements;
  private readonly commits: SqliteGroupCommit;
  readonly appliesWritesInCallOrder = true;

  constructor(
    private readonly database: Database.Database,
    options: SqliteTaskStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.closeDatabase = options.closeDatabase ?? true;
    ensureSqliteSchema(database);
    this.commits = new SqliteGroupCommit(database);
    this.statements = {
      selectTask: database.prepare<[string], TaskRow>('SELECT record_json FROM tasks WHERE id = ?'),
      insertTask: database.prepare(
        `INSERT INTO tasks (id, status, model, api_key_id, created_at_ms, run_after_ms, lease_expires_at_ms, fencing_token, record_json)
         VALUES (@id, @status, @model, @apiKeyId, @createdAtMs, @runAfterMs, @leaseExpiresAtMs, @fencingToken, @recordJson)`,
      ),
      updateTask: database.prepare(
        `UPDATE tasks SET status = @status, run_after_ms = @runAfterMs, lease_expires_at_ms = @leaseExpiresAtMs,
           fencing_token = @fencingToken, record_json = @recordJson WHERE id = @id`,
      ),
      oldestQueued: database.prepare<[number], { id: string; created_at_ms: number }>(claimableQueuedSql),
      // created_at_ms narrows the scan through tasks_by_status_age: a task finishes after it was created.
      pruneFinished: database.prepare<{ beforeMs: number }>(
        `DELETE FROM tasks WHERE status IN (${finalStatuses.map((status) => `'${status}'`).join(', ')}) AND created_at_ms < @beforeMs
           AND json_extract(record_json, '$.finishedAtMs') < @beforeMs`,
      ),
      referencedBlobs: database.prepare<[], { sha256: string | null }>(
        `SELECT json_extract(item.value, '$.sha256') AS sha256
           FROM tasks, json_each(tasks.record_json, '$.request.references') AS item
         UNION SELECT json_extract(record_json, '$.request.video.sha256') FROM tasks
         UNION SELECT json_extract(item.value, '$.sha256')
           FROM tasks, json_each(tasks.record_json, '$.result.images') AS item
         UNION SELECT substr(item.value, ${storedMediaPathPrefix.length + 1})
           FROM tasks, json_tree(tasks.record_json, '$.request.history') AS item
           WHERE item.key = 'fileUri' AND substr(item.value, 1, ${storedMediaPathPrefix.length}) = '${storedMediaPathPrefix}'
         UNION SELECT substr(item.value, ${storedMediaPathPrefix.length + 1})
           FROM tasks, json_tree(tasks.record_json, '$.result.nextTurnContents') AS item
           WHERE item.key = 'fileUri' AND substr(item.value, 1, ${storedMediaPathPrefix.length}) = '${storedMediaPathPrefix}'`,
      ),
      unparkQueued: database.prepare<{ model: string; parkedUntilMs: number; nowMs: number }>(
        `UPDATE tasks SET run_after_ms = @nowMs,
           record_json = json_set(record_json, '$.runAfterMs', @nowMs, '$.updatedAtMs', @nowMs)
         WHERE status = 'queued' AND run_after_ms = @parkedUntilMs AND model = @model`,
      ),
      parkQueued: database.prepare<{ model: string; runAfterMs: number; nowMs: number }>(
        `UPDATE tasks SET run_after_ms = @runAfterMs,
           record_json = json_set(record_json, '$.runAfterMs', @runAfterMs, '$.updatedAtMs', @nowMs)
         WHERE status = 'queued' AND run_after_ms < @runAfterMs AND model = @model`,
      ),
      queuedForBatch: database.prepare<[number, number], TaskRow>(
        `SELECT record_json FROM tasks WHERE status = 'queued' AND run_after_ms > ?
           AND json_extract(record_json, '$.lane') = 'batch' AND json_extract(record_json, '$.batchJobId') IS NULL
         ORDER BY created_at_ms, id LIMIT ?`,
      ),
      // Not before `run_after_ms`: a batch-lane task whose lane died mid-write stays the lane's until due online.
      oldestExpiredLease: database.prepare<[number, number], { id: string; created_at_ms: number }>(
        `SELECT id, created_at_ms FROM tasks WHERE status = 'processing' AND lease_expires_at_ms <= ? AND run_after_ms <= ?
         ORDER BY created_at_ms, id LIMIT 1`,
      ),
      lastSequence: database.prepare<[string], { sequence: number | null }>(
        'SELECT MAX(sequence) AS sequence FROM task_events WHERE task_id = ?',
      ),
      insertEvent: database.prepare(
        'INSERT INTO task_events (task_id, sequence, type, at_ms, data_json) VALUES (?, ?, ?, ?, ?)',
      ),
      eventsAfter: database.prepare<
        [string, number],
        { task_id: string; sequence: number; type: string; at_ms: number; data_json: string }
      >('SELECT * FROM task_events WHERE task_id = ? AND sequence > ? ORDER BY sequence'),
      foldedEvents: database.prepare<[string], { events_json: string | null; record_json: string }>(
        `SELECT logs.events_json, tasks.record_json FROM tasks
           LEFT JOIN task_event_logs AS logs ON logs.task_id = tasks.id WHERE tasks.id = ?`,
      ),
      foldEvents: database.prepare<[string, string]>(
        'INSERT INTO task_event_logs (task_id, events_json) VALUES (?, ?)',
      ),
      deleteEvents: database.prepare<[string]>('DELETE FROM task_events WHERE task_id = ?'),
      selectIdempotency: database.prepare<
        [string],
        { request_hash: string; task_id: string; expires_at_ms: number }
      >('SELECT request_hash, task_id, expires_at_ms FROM idempotency_keys WHERE key = ?'),
      upsertIdempotency: database.prepare(
        `INSERT INTO idempotency_keys (key, request_hash, task_id, expires_at_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, task_id = excluded.task_id,
           expires_at_ms = excluded.expires_at_ms`,
      ),
      deleteExpiredIdempotency: database.prepare('DELETE FROM idempotency_keys WHERE expires_at_ms <= ?'),
      // `taskSpendUsd` in SQL: estimates held by unfinished tasks, actual costs of every task.
      spentSince: database.prepare<[number], { spent: number }>(`${SPENT_SQL}`),
      spentSinceByKey: database.prepare<[number, string], { spent: number }>(
        `${SPENT_SQL} AND api_key_id = ?`,
      ),
    };
  }

  async create(
    task: NewTask,
    idempotency?: IdempotencyClaim,
    nowMs: number = this.clock.nowMs(),
    budget?: TaskBudget,
  ): Promise<{ task: TaskRecord; created: boolean }> {
    return this.commits.run(() => {
      if (idempotency) {
        this.statements.deleteExpiredIdempotency.run(nowMs);
        const existing = this.statements.selectIdempotency.get(idempotency.key);
        if (existing) {
          if (existing.request_hash !== idempotency.requestHash) {
            throw new IdempotencyConflictError(existing.task_id);
          }
          const record = this.readRecord(existing.task_id);
          if (record) return { task: record, created: false };
        }
      }
      if (budget) this.reserve(budget, task.estimatedCostUsd ?? 0);
      const record = created(task);
      this.statements.insertTask.run({
        ...this.columnsOf(record),
        model: record.request.model,
        apiKeyId: record.apiKeyId ?? null,
        createdAtMs: record.createdAtMs,
      });
      this.appendEvent(record.id, task.createdAtMs, { type: 'queued', data: {} });
      if (idempotency) {
        this.statements.upsertIdempotency.run(
          idempotency.key,
          idempotency.requestHash,
          record.id,
          idempotency.expiresAtMs,
        );
      }
      return { task: record, created: true };
    });
  }

  async findIdempotent(
    claim: Pick<IdempotencyClaim, 'key' | 'requestHash'>,
    nowMs: number = this.clock.nowMs(),
  ): Promise<TaskRecord | undefined> {
    const existing = this.statements.selectIdempotency.get(claim.key);
    if (!existing || existing.expires_at_ms <= nowMs) return undefined;
    if (existing.request_hash !== claim.requestHash) throw new IdempotencyConflictError(existing.task_id);
    return this.readRecord(existing.task_id);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    return this.readRecord(id);
  }

  async list(filter: TaskListFilter): Promise<{ tasks: TaskRecord[]; nextCursor?: string }> {
    const limit = pageSize(filter.limit);
    const conditions: string[] = [];
    const parameters: Record<string, string | number> = {};
    if (filter.status !== undefined) {
      conditions.push('status = @status');
      parameters.status = taskStatusSchema.parse(filter.status);
    }
    if (filter.model !== undefined) {
      conditions.push('model = @model');
      parameters.model = filter.model;
    }
    if (filter.apiKeyId === null) {
      conditions.push('api_key_id IS NULL');
    } else if (filter.apiKeyId !== undefined) {
      conditions.push('api_key_id = @apiKeyId');
      parameters.apiKeyId = filter.apiKeyId;
    }
    if (filter.createdAfterMs !== undefined) {
      conditions.push('created_at_ms > @createdAfterMs');
      parameters.createdAfterMs = filter.createdAfterMs;
    }
    if (filter.createdBeforeMs !== undefined) {
      conditions.push('created_at_ms < @createdBeforeMs');
      parameters.createdBeforeMs = filter.createdBeforeMs;
    }
    if (filter.cursor !== undefined) {
      const cursor = decodeTaskCursor(filter.cursor);
      conditions.push(
        '(created_at_ms < @cursorCreatedAtMs OR (created_at_ms = @cursorCreatedAtMs AND id < @cursorId))',
      );
      parameters.cursorCreatedAtMs = cursor.createdAtMs;
      parameters.cursorId = cursor.id;
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.database
      .prepare<Record<string, string | number>, TaskRow>(
        `SELECT record_json FROM tasks ${where} ORDER BY created_at_ms DESC, id DESC LIMIT ${limit + 1}`,
      )
      .all(parameters);
    const tasks = rows.slice(0, limit).map((row) => parseRecord(row.record_json));
    const last = tasks.at(-1);
    return rows.length > limit && last
      ? { tasks, nextCursor: encodeTaskCursor({ createdAtMs: last.createdAtMs, id: last.id }) }
      : { tasks };
  }

  async claim(
    workerId: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<{ task: TaskRecord; lease: Lease } | undefined> {
    return this.commits.run(() => {
      for (;;) {
        const queued = this.statements.oldestQueued.get(nowMs);
        const expired = this.statements.oldestExpiredLease.get(nowMs, nowMs);
        const next = !queued ? expired : !expired ? queued : isOlder(expired, queued) ? expired : queued;
        if (!next) return undefined;
        const record = this.readRecord(next.id);
        if (!record) return undefined;
        const reclaimed = record.status === 'processing';
        if (reclaimed && record.cancelRequested) {
          // Its worker died after a cancel was asked for: finish the cancel instead of running it again.
          this.finish(record, nowMs, {
            status: 'cancelled',
            error: {
              type: 'cancelled',
              code: 'cancelled',
              message: 'Cancelled while its worker was gone.',
            },
          });
          continue;
        }
        return this.claimRecord(record, workerId, nowMs, leaseMs, reclaimed);
      }
    });
  }

  async claimTask(
    taskId: string,
    workerId: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<{ task: TaskRecord; lease: Lease } | undefined> {
    return this.commits.run(() => {
      const record = this.readRecord(taskId);
      if (!claimableById(record, nowMs)) return undefined;
      return this.claimRecord(record, workerId, nowMs, leaseMs, record.status === 'processing');
    });
  }

  async queuedForBatch(nowMs: number, limit: number): Promise<TaskRecord[]> {
    return this.statements.queuedForBatch.all(nowMs, limit).map((row) => parseRecord(row.record_json));
  }

  async assignBatchJob(taskIds: string[], batchJobId: string, nowMs: number): Promise<string[]> {
    return this.commits.run(() => {
      const assigned: string[] = [];
      for (const id of taskIds) {
        const record = this.readRecord(id);
        if (record?.status !== 'queued' || record.lane !== 'batch' || record.batchJobId !== undefined) {
          continue;
        }
        this.writeRecord({ ...record, batchJobId, updatedAtMs: nowMs }, nowMs);
        assigned.push(id);
      }
      return assigned;
    });
  }

  async heartbeat(lease: Lease, nowMs: number, leaseMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, heartbeat(nowMs, leaseMs));
  }

  async setProgress(lease: Lease, progress: number, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, progressed(progress));
  }

  async recordAttempt(lease: Lease, attempt: Attempt, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, attempted(attempt));
  }

  async complete(lease: Lease, completion: TaskCompletion, nowMs: number): Promise<boolean> {
    return this.commits.run(() => {
      const record = this.readLeased(lease);
      if (!record) return false;
      this.finish(record, nowMs, completion);
      return true;
    });
  }

  async reschedule(lease: Lease, runAfterMs: number, reason: string, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, rescheduled(runAfterMs, reason));
  }

  async park(lease: Lease, runAfterMs: number, reason: string, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, parked(runAfterMs, reason));
  }

  async returnToBatch(lease: Lease, runAfterMs: number, reason: string, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, returnedToBatch(runAfterMs, reason));
  }

  async parkQueued(model: string, runAfterMs: number, nowMs: number): Promise<number> {
    return this.commits.run(() => this.statements.parkQueued.run({ model, runAfterMs, nowMs }).changes);
  }

  async unparkQueued(model: string, parkedUntilMs: number, nowMs: number): Promise<number> {
    return this.commits.run(() => this.statements.unparkQueued.run({ model, parkedUntilMs, nowMs }).changes);
  }

  async release(lease: Lease, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, released(nowMs));
  }

  async pruneFinished(finishedBeforeMs: number): Promise<number> {
    // Events and idempotency keys go with their task (ON DELETE CASCADE).
    return this.commits.run(() => this.statements.pruneFinished.run({ beforeMs: finishedBeforeMs }).changes);
  }

  async referencedBlobs(): Promise<Set<string>> {
    const hashes = new Set<string>();
    for (const row of this.statements.referencedBlobs.all()) if (row.sha256) hashes.add(row.sha256);
    return hashes;
  }

  async requestCancel(id: string, nowMs: number): Promise<TaskRecord | undefined> {
    return this.commits.run(() => {
      const record = this.readRecord(id);
      if (!record) return undefined;
      if (record.status === 'queued') {
        return this.finish(record, nowMs, {
          status: 'cancelled',
          error: { type: 'cancelled', code: 'cancelled', message: 'Cancelled before it started.' },
        });
      }
      if (record.status === 'processing' && !record.cancelRequested) {
        const marked = { ...record, cancelRequested: true, updatedAtMs: nowMs };
        this.writeRecord(marked, nowMs);
        return marked;
      }
      return record;
    });
  }

  async eventsAfter(taskId: string, afterSequence: number): Promise<TaskEvent[]> {
    // One snapshot for both reads: another process may fold the rows between them.
    return this.database
      .transaction(() => {
        const folded = this.statements.foldedEvents.get(taskId);
        if (!folded?.events_json) return this.eventRows(taskId, afterSequence);
        const record = () => parseRecord(folded.record_json);
        return unfoldTaskEvents(taskId, folded.events_json, record, afterSequence);
      })
      .deferred();
  }

  private eventRows(taskId: string, afterSequence: number): TaskEvent[] {
    return this.statements.eventsAfter.all(taskId, afterSequence).map((row) => ({
      taskId: row.task_id,
      sequence: row.sequence,
      type: row.type as PendingEvent['type'],
      atMs: row.at_ms,
      data: taskEventDataSchema.parse(JSON.parse(row.data_json)),
    }));
  }

  async close(): Promise<void> {
    if (this.database.open) this.commits.flush();
    if (this.closeDatabase && this.database.open) this.database.close();
  }

  /** Leases `record` to `workerId` with a new fencing token; inside a transaction. */
  private claimRecord(
    record: TaskRecord,
    workerId: string,
    nowMs: number,
    leaseMs: number,
    reclaimed: boolean,
  ): { task: TaskRecord; lease: Lease } {
    const change = claimed(record, workerId, nowMs, leaseMs, reclaimed);
    this.writeRecord(change.record, nowMs, change.event);
    return { task: change.record, lease: change.lease };
  }

  /** Throws `BudgetExceededError` when the estimate does not fit under a cap; inside `create`'s transaction. */
  private reserve(budget: TaskBudget, estimatedUsd: number): void {
    for (const cap of budget.caps) {
      const row =
        cap.apiKeyId === undefined
          ? this.statements.spentSince.get(budget.sinceMs)
          : this.statements.spentSinceByKey.get(budget.sinceMs, cap.apiKeyId);
      const spentUsd = row?.spent ?? 0;
      if (spentUsd + estimatedUsd > cap.limitUsd + BUDGET_EPSILON_USD) {
        throw new BudgetExceededError(cap, spentUsd, estimatedUsd);
      }
    }
  }

  private readRecord(id: string): TaskRecord | undefined {
    const row = this.statements.selectTask.get(id);
    return row ? parseRecord(row.record_json) : undefined;
  }

  /** The record if `lease` is still the current one; a stale lease reads as nothing. */
  private readLeased(lease: Lease): TaskRecord | undefined {
    const record = this.readRecord(lease.taskId);
    const current =
      record?.status === 'processing' &&
      record.fencingToken === lease.fencingToken &&
      record.leaseOwner === lease.workerId;
    return current ? record : undefined;
  }

  private updateUnderLease(lease: Lease, nowMs: number, change: LeasedChange): Promise<boolean> {
    return this.commits.run(() => {
      const record = this.readLeased(lease);
      if (!record) return false;
      const { record: changed, event } = change(record);
      this.writeRecord({ ...changed, updatedAtMs: nowMs }, nowMs, event);
      return true;
    });
  }

  private finish(record: TaskRecord, nowMs: number, completion: FinalCompletion): TaskRecord {
    const change = finished(record, nowMs, completion);
    this.writeRecord(change.record, nowMs, change.event);
    this.foldEvents(change.record);
    return change.record;
  }

  /** A final task's log never changes again: one JSON array on its row instead of a row per event. */
  private foldEvents(record: TaskRecord): void {
    const folded = foldTaskEvents(this.eventRows(record.id, 0), record);
    if (folded === undefined) return;
    this.statements.foldEvents.run(record.id, folded);
    this.statements.deleteEvents.run(record.id);
  }

  private writeRecord(record: TaskRecord, nowMs: number, event?: PendingEvent): void {
    this.statements.updateTask.run(this.columnsOf(record));
    if (event) this.appendEvent(record.id, nowMs, event);
  }

  private columnsOf(record: TaskRecord) {
    return {
      id: record.id,
      status: record.status,
      runAfterMs: record.runAfterMs,
      leaseExpiresAtMs: record.leaseExpiresAtMs ?? null,
      fencingToken: record.fencingToken,
      recordJson: JSON.stringify(record),
    };
  }

  private appendEvent(taskId: string, atMs: number, event: PendingEvent): void {
    const last = this.statements.lastSequence.get(taskId)?.sequence ?? 0;
    this.statements.insertEvent.run(taskId, last + 1, event.type, atMs, JSON.stringify(event.data));
  }
}

function parseRecord(json: string): TaskRecord {
  return taskRecordSchema.parse(JSON.parse(json));
}

function isOlder(
  left: { id: string; created_at_ms: number },
  right: { id: string; created_at_ms: number },
): boolean {
  return (
    left.created_at_ms < right.created_at_ms ||
    (left.created_at_ms === right.created_at_ms && left.id < right.id)
  );
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`limit: must be an integer from 1 to ${MAX_PAGE_SIZE} (got ${limit}).`);
  }
  return limit;
}
