import type pg from 'pg';
import { systemClock, type Clock } from '../clock/index.js';
import type { Attempt } from '../engine/index.js';
import { inPostgresTransaction } from './postgres-transaction.js';
import { claimableNotification, taskEventsNotification } from './postgres-channels.js';
import { PostgresNotifier, type PostgresNotification } from './postgres-notifier.js';
import { PostgresRowVersions, type VersionedRecord } from './postgres-row-versions.js';
import {
  claimNext,
  insertTask,
  isEventSequenceCollision,
  leasedWrite,
  selectVersioned,
} from './postgres-task-statements.js';
import { decodeTaskCursor, encodeTaskCursor } from './task-cursor.js';
import { taskEventDataSchema, taskRecordSchema, taskStatusSchema } from './task-record-schema.js';
import { finalStatuses, type TaskRecord } from './task-record.js';
import { storedMediaPathPrefix } from './stored-contents.js';
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
import {
  BudgetExceededError,
  IdempotencyConflictError,
  type TaskBudget,
  type IdempotencyClaim,
  type Lease,
  type NewTask,
  type TaskCompletion,
  type TaskEvent,
  type TaskListFilter,
  type TaskStore,
} from './task-store.js';

export interface PostgresTaskStoreOptions {
  /** Default: the system clock. Used when `create` is called without `nowMs`. */
  clock?: Clock;
  /** Whether `close()` also ends the pool. Default true. */
  closePool?: boolean;
}

/** `taskSpendUsd` in SQL: estimates held by unfinished tasks, actual costs of every task. */
const SPENT_SQL = `SELECT COALESCE(SUM(CASE WHEN status IN ('queued', 'processing')
    THEN COALESCE((record->>'actualCostUsd')::float8, (record->>'estimatedCostUsd')::float8, 0)
    ELSE COALESCE((record->>'actualCostUsd')::float8, 0) END), 0)::float8 AS spent
  FROM tasks WHERE created_at_ms >= $1`;
/** Rounding room, so a budget of $0.12 fits three tasks of $0.04 despite binary fractions. */
const BUDGET_EPSILON_USD = 1e-9;

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

type PendingEvent = PendingTaskEvent;
type Queryable = Pick<pg.PoolClient, 'query'>;
/** Notifications a transaction asks for, sent once it has committed. */
type Notifications = PostgresNotification[];

/**
 * The task store on PostgreSQL, for several instances sharing one database. The writes a worker makes for
 * every task (claim, progress, attempts, heartbeats, completion) and a plain create are one statement each,
 * one round trip and one commit (postgres-task-statements.ts): claims take the oldest claimable row with
 * `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait on each other or get the same task; leased
 * writes apply only to the row version their lease check was made on, which gives the outcome of holding
 * the row lock. Writes that check something first (idempotency keys, budgets, cancels) are one transaction
 * holding the task's row lock (`FOR UPDATE`). Once a write that makes a task claimable has committed, the
 * store sends `NOTIFY` on `postgresChannels.claimable`, and for every new event on `postgresChannels.events`
 * (with the task id), so workers and SSE streams of every instance wake without polling (after the commit,
 * not in it: postgres-notifier.ts says why).
 *
 * Times are the caller's (the injected clock), never PostgreSQL's `now()`.
 */
export class PostgresTaskStore implements TaskStore {
  private readonly clock: Clock;
  private readonly closePool: boolean;
  private readonly versions = new PostgresRowVersions();
  private readonly notifier: PostgresNotifier;

  constructor(
    private readonly pool: pg.Pool,
    options: PostgresTaskStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.closePool = options.closePool ?? true;
    this.notifier = new PostgresNotifier(pool);
  }

  async create(
    task: NewTask,
    idempotency?: IdempotencyClaim,
    nowMs: number = this.clock.nowMs(),
    budget?: TaskBudget,
  ): Promise<{ task: TaskRecord; created: boolean }> {
    if (!idempotency && !budget) {
      // Nothing to check first: one statement, one commit.
      const record = created(task);
      await this.pool.query({
        ...insertTask,
        values: [
          record.id,
          record.status,
          record.request.model,
          record.apiKeyId ?? null,
          record.createdAtMs,
          record.runAfterMs,
          record.fencingToken,
          record,
        ],
      });
      this.notifier.notify([claimableNotification, taskEventsNotification(record.id)]);
      return { task: record, created: true };
    }
    return this.transaction(async (client, notifications) => {
      if (idempotency) {
        // Two submits with one key serialise here, as SQLite's write lock makes them do.
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `imagegate:idempotency:${idempotency.key}`,
        ]);
        await client.query('DELETE FROM idempotency_keys WHERE expires_at_ms <= $1', [nowMs]);
        const existing = await selectIdempotency(client, idempotency.key);
        if (existing) {
          if (existing.request_hash !== idempotency.requestHash) {
            throw new IdempotencyConflictError(existing.task_id);
          }
          const record = await readRecord(client, existing.task_id);
          if (record) return { task: record, created: false };
        }
      }
      if (budget) await reserve(client, budget, task.estimatedCostUsd ?? 0);
      const record = created(task);
      await client.query(
        `INSERT INTO tasks (id, status, model, api_key_id, created_at_ms, run_after_ms, lease_expires_at_ms,
           fencing_token, record)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          record.id,
          record.status,
          record.request.model,
          record.apiKeyId ?? null,
          record.createdAtMs,
          record.runAfterMs,
          null,
          record.fencingToken,
          record,
        ],
      );
      await appendEvent(client, notifications, record.id, task.createdAtMs, { type: 'queued', data: {} });
      notifications.push(claimableNotification);
      if (idempotency) {
        await client.query(
          `INSERT INTO idempotency_keys (key, request_hash, task_id, expires_at_ms) VALUES ($1, $2, $3, $4)
           ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, task_id = excluded.task_id,
             expires_at_ms = excluded.expires_at_ms`,
          [idempotency.key, idempotency.requestHash, record.id, idempotency.expiresAtMs],
        );
      }
      return { task: record, created: true };
    });
  }

  async findIdempotent(
    claim: Pick<IdempotencyClaim, 'key' | 'requestHash'>,
    nowMs: number = this.clock.nowMs(),
  ): Promise<TaskRecord | undefined> {
    const existing = await selectIdempotency(this.pool, claim.key);
    if (!existing || Number(existing.expires_at_ms) <= nowMs) return undefined;
    if (existing.request_hash !== claim.requestHash) throw new IdempotencyConflictError(existing.task_id);
    return readRecord(this.pool, existing.task_id);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    return readRecord(this.pool, id);
  }

  async list(filter: TaskListFilter): Promise<{ tasks: TaskRecord[]; nextCursor?: string }> {
    const limit = pageSize(filter.limit);
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const parameter = (value: unknown) => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    if (filter.status !== undefined) {
      conditions.push(`status = ${parameter(taskStatusSchema.parse(filter.status))}`);
    }
    if (filter.model !== undefined) conditions.push(`model = ${parameter(filter.model)}`);
    const apiKeyId = filter.apiKeyId;
    if (apiKeyId === null) conditions.push('api_key_id IS NULL');
    else if (apiKeyId !== undefined) conditions.push(`api_key_id = ${parameter(apiKeyId)}`);
    if (filter.createdAfterMs !== undefined) {
      conditions.push(`created_at_ms > ${parameter(filter.createdAfterMs)}`);
    }
    if (filter.createdBeforeMs !== undefined) {
      conditions.push(`created_at_ms < ${parameter(filter.createdBeforeMs)}`);
    }
    if (filter.cursor !== undefined) {
      const cursor = decodeTaskCursor(filter.cursor);
      const at = parameter(cursor.createdAtMs);
      conditions.push(`(created_at_ms < ${at} OR (created_at_ms = ${at} AND id < ${parameter(cursor.id)}))`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    //: ids compare byte-wise, as in SQLite and in JavaScript.
    const { rows } = await this.pool.query<{ record: unknown }>(
      `SELECT record FROM tasks ${where} ORDER BY created_at_ms DESC, id DESC LIMIT ${limit + 1}`,
      parameters,
    );
    const tasks = rows.slice(0, limit).map((row) => parseRecord(row.record));
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
    for (;;) {
      let rows: { record: unknown; version: string | null; cancel_pending: string | null }[];
      try {
        ({ rows } = await this.pool.query<(typeof rows)[number]>({
          ...claimNext,
          values: [nowMs, workerId, leaseMs],
        }));
      } catch (error) {
        if (isEventSequenceCollision(error)) continue;
        throw error;
      }
      const row = rows[0];
      if (!row) return undefined;
      // Rare: the oldest candidate is a reclaimed task whose cancel must be finished first.
      if (row.cancel_pending !== null) return this.claimFinishingCancels(workerId, nowMs, leaseMs);
      const task = parseRecord(row.record);
      this.versions.remember({ record: task, version: row.version ?? '' });
      this.notifier.notify([taskEventsNotification(task.id)]);
      return { task, lease: { taskId: task.id, workerId, fencingToken: task.fencingToken } };
    }
  }

  /** The claim in one transaction that first finishes the cancels of reclaimed tasks, one by one. */
  private async claimFinishingCancels(
    workerId: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<{ task: TaskRecord; lease: Lease } | undefined> {
    return this.transaction(async (client, notifications) => {
      for (;;) {
        // Rows another worker is claiming right now are skipped, not waited for.
        // As on SQLite: the queued task due longest, or the processing task whose lease expired that was
        // created earliest, whichever of the two was created first.
        const [queued, expired] = await Promise.all([
          client.query<{ record: unknown; created_at_ms: string; id: string }>(
            `SELECT record, created_at_ms, id FROM tasks WHERE status = 'queued' AND run_after_ms <= $1
             ORDER BY run_after_ms, created_at_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
            [nowMs],
          ),
          client.query<{ record: unknown; created_at_ms: string; id: string }>(
            `SELECT record, created_at_ms, id FROM tasks WHERE status = 'processing' AND lease_expires_at_ms <= $1
               AND run_after_ms <= $1
             ORDER BY created_at_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
            [nowMs],
          ),
        ]);
        const [first, second] = [queued.rows[0], expired.rows[0]];
        const row =
          first && second
            ? Number(second.created_at_ms) < Number(first.created_at_ms) ||
              (second.created_at_ms === first.created_at_ms && second.id < first.id)
              ? second
              : first
            : (first ?? second);
        if (!row) return undefined;
        const record = parseRecord(row.record);
        const reclaimed = record.status === 'processing';
        if (reclaimed && record.cancelRequested) {
          // Its worker died after a cancel was asked for: finish the cancel instead of running it again.
          await finish(client, notifications, record, nowMs, {
            status: 'cancelled',
            error: { type: 'cancelled', code: 'cancelled', message: 'Cancelled while its worker was gone.' },
          });
          continue;
        }
        return claimRecord(client, notifications, record, workerId, nowMs, leaseMs, reclaimed);
      }
    });
  }

  async claimTask(
    taskId: string,
    workerId: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<{ task: TaskRecord; lease: Lease } | undefined> {
    return this.transaction(async (client, notifications) => {
      const record = await readRecord(client, taskId, true);
      if (!claimableById(record, nowMs)) return undefined;
      const reclaimed = record.status === 'processing';
      return claimRecord(client, notifications, record, workerId, nowMs, leaseMs, reclaimed);
    });
  }

  async queuedForBatch(nowMs: number, limit: number): Promise<TaskRecord[]> {
    const { rows } = await this.pool.query<{ record: unknown }>(
      `SELECT record FROM tasks WHERE status = 'queued' AND run_after_ms > $1
         AND record->>'lane' = 'batch' AND NOT (record ? 'batchJobId')
       ORDER BY created_at_ms, id LIMIT $2`,
      [nowMs, limit],
    );
    return rows.map((row) => parseRecord(row.record));
  }

  async assignBatchJob(taskIds: string[], batchJobId: string, nowMs: number): Promise<string[]> {
    return this.transaction(async (client, notifications) => {
      const assigned: string[] = [];
      for (const id of taskIds) {
        const record = await readRecord(client, id, true);
        if (record?.status !== 'queued' || record.lane !== 'batch' || record.batchJobId !== undefined)
          continue;
        await writeRecord(client, notifications, { ...record, batchJobId, updatedAtMs: nowMs }, nowMs);
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
    return this.updateUnderLease(lease, nowMs, (record) => finished(record, nowMs, completion));
  }

  async reschedule(lease: Lease, runAfterMs: number, reason: string, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, rescheduled(runAfterMs, reason), true);
  }

  async park(lease: Lease, runAfterMs: number, reason: string, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, parked(runAfterMs, reason), true);
  }

  async returnToBatch(lease: Lease, runAfterMs: number, reason: string, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, returnedToBatch(runAfterMs, reason), true);
  }

  async parkQueued(model: string, runAfterMs: number, nowMs: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE tasks SET run_after_ms = $2,
         record = jsonb_set(jsonb_set(record, '{runAfterMs}', to_jsonb($2::bigint)), '{updatedAtMs}', to_jsonb($3::bigint))
       WHERE status = 'queued' AND run_after_ms < $2 AND model = $1`,
      [model, runAfterMs, nowMs],
    );
    return rowCount ?? 0;
  }

  async unparkQueued(model: string, parkedUntilMs: number, nowMs: number): Promise<number> {
    return this.transaction(async (client, notifications) => {
      const { rowCount } = await client.query(
        `UPDATE tasks SET run_after_ms = $3,
           record = jsonb_set(jsonb_set(record, '{runAfterMs}', to_jsonb($3::bigint)), '{updatedAtMs}', to_jsonb($3::bigint))
         WHERE status = 'queued' AND run_after_ms = $2 AND model = $1`,
        [model, parkedUntilMs, nowMs],
      );
      // Every instance's worker may claim them now.
      if (rowCount) notifications.push(claimableNotification);
      return rowCount ?? 0;
    });
  }

  async pruneFinished(finishedBeforeMs: number): Promise<number> {
    // Events and idempotency keys go with their task (ON DELETE CASCADE).
    const { rowCount } = await this.pool.query(
      `DELETE FROM tasks WHERE status = ANY($2) AND created_at_ms < $1
         AND (record->>'finishedAtMs')::bigint < $1`,
      [finishedBeforeMs, finalStatuses],
    );
    return rowCount ?? 0;
  }

  async referencedBlobs(): Promise<Set<string>> {
    const prefix = storedMediaPathPrefix;
    const { rows } = await this.pool.query<{ sha256: string | null }>(
      `SELECT item->>'sha256' AS sha256 FROM tasks, jsonb_array_elements(record->'request'->'references') AS item
       UNION SELECT record->'request'->'video'->>'sha256' FROM tasks
       UNION SELECT item->>'sha256' FROM tasks,
         jsonb_array_elements(COALESCE(record->'result'->'images', '[]'::jsonb)) AS item
       UNION SELECT substr(uri #>> '{}', $2) FROM tasks,
         jsonb_path_query(record, '$.request.history[*].parts[*].fileData.fileUri') AS uri
         WHERE starts_with(uri #>> '{}', $1)
       UNION SELECT substr(uri #>> '{}', $2) FROM tasks,
         jsonb_path_query(record, '$.result.nextTurnContents[*].parts[*].fileData.fileUri') AS uri
         WHERE starts_with(uri #>> '{}', $1)`,
      [prefix, prefix.length + 1],
    );
    return new Set(rows.flatMap((row) => (row.sha256 ? [row.sha256] : [])));
  }

  async release(lease: Lease, nowMs: number): Promise<boolean> {
    return this.updateUnderLease(lease, nowMs, released(nowMs), true);
  }

  async requestCancel(id: string, nowMs: number): Promise<TaskRecord | undefined> {
    return this.transaction(async (client, notifications) => {
      const record = await readRecord(client, id, true);
      if (!record) return undefined;
      if (record.status === 'queued') {
        return finish(client, notifications, record, nowMs, {
          status: 'cancelled',
          error: { type: 'cancelled', code: 'cancelled', message: 'Cancelled before it started.' },
        });
      }
      if (record.status === 'processing' && !record.cancelRequested) {
        const marked = { ...record, cancelRequested: true, updatedAtMs: nowMs };
        await writeRecord(client, notifications, marked, nowMs);
        // The worker holding it may sit in another instance: it hears this on its next heartbeat.
        return marked;
      }
      return record;
    });
  }

  async eventsAfter(taskId: string, afterSequence: number): Promise<TaskEvent[]> {
    const { rows } = await this.pool.query<{
      task_id: string;
      sequence: number;
      type: string;
      at_ms: string;
      data: unknown;
    }>('SELECT * FROM task_events WHERE task_id = $1 AND sequence > $2 ORDER BY sequence', [
      taskId,
      afterSequence,
    ]);
    return rows.map((row) => ({
      taskId: row.task_id,
      sequence: row.sequence,
      type: row.type as PendingEvent['type'],
      atMs: Number(row.at_ms),
      data: taskEventDataSchema.parse(row.data),
    }));
  }

  /** Answers when PostgreSQL does (for `/healthz` and the worker's pause). */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.notifier.flush();
    if (this.closePool && !this.pool.ended) await this.pool.end();
  }

  /** `work` in one transaction; the notifications it asks for go out once it has committed. */
  private async transaction<T>(
    work: (client: Queryable, notifications: Notifications) => Promise<T>,
  ): Promise<T> {
    const notifications: Notifications = [];
    const result = await inPostgresTransaction(this.pool, (client) => work(client, notifications));
    this.notifier.notify(notifications);
    return result;
  }

  /**
   * Applies `change` to the task while `lease` is current, in one statement: computed from the record this
   * store last wrote when it has one (`versions`), written only if the row is still that version, read
   * again and recomputed when it is not. The same outcome as holding the row lock, without the extra
   * round trips of a transaction.
   */
  private async updateUnderLease(
    lease: Lease,
    nowMs: number,
    change: LeasedChange,
    claimable = false,
  ): Promise<boolean> {
    let current = this.versions.get(lease.taskId);
    for (;;) {
      if (!current || !holdsLease(current.record, lease)) {
        current = await this.readVersioned(lease.taskId);
        if (!current || !holdsLease(current.record, lease)) {
          this.versions.forget(lease.taskId);
          return false;
        }
      }
      const { record: changed, event } = change(current.record);
      const record = { ...changed, updatedAtMs: nowMs };
      const { rows } = await this.pool.query<{ version: string }>({
        ...leasedWrite,
        values: [...recordColumns(record), current.version, event?.type ?? null, nowMs, event?.data ?? null],
      });
      const written = rows[0];
      if (written) {
        this.versions.remember({ record: parseRecord(record), version: written.version });
        this.notifier.notify([
          ...(event ? [taskEventsNotification(record.id)] : []),
          ...(claimable ? [claimableNotification] : []),
        ]);
        return true;
      }
      // Written by someone else since (a cancel request, a claim after the lease expired): read it again.
      current = undefined;
    }
  }

  private async readVersioned(taskId: string): Promise<VersionedRecord | undefined> {
    const { rows } = await this.pool.query<{ record: unknown; version: string }>({
      ...selectVersioned,
      values: [taskId],
    });
    const row = rows[0];
    return row ? { record: parseRecord(row.record), version: row.version } : undefined;
  }
}

/**
 * Throws `BudgetExceededError` when the estimate does not fit under a cap; inside `create`'s transaction.
 * Creates under one cap serialise on an advisory lock (per key, or one for the server-wide cap), so
 * concurrent submits on several instances cannot all pass a check made before any of them committed.
 */
async function reserve(client: Queryable, budget: TaskBudget, estimatedUsd: number): Promise<void> {
  const lockNames = [...new Set(budget.caps.map((cap) => `imagegate:budget:${cap.apiKeyId ?? '*'}`))].sort();
  // One order for every transaction: two creates taking the same locks cannot deadlock.
  for (const name of lockNames) {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
  }
  for (const cap of budget.caps) {
    const { rows } = await client.query<{ spent: number }>(
      cap.apiKeyId === undefined ? SPENT_SQL : `${SPENT_SQL} AND api_key_id = $2`,
      cap.apiKeyId === undefined ? [budget.sinceMs] : [budget.sinceMs, cap.apiKeyId],
    );
    const spentUsd = Number(rows[0]?.spent ?? 0);
    if (spentUsd + estimatedUsd > cap.limitUsd + BUDGET_EPSILON_USD) {
      throw new BudgetExceededError(cap, spentUsd, estimatedUsd);
    }
  }
}

async function selectIdempotency(
  client: Queryable,
  key: string,
): Promise<{ request_hash: string; task_id: string; expires_at_ms: string } | undefined> {
  const { rows } = await client.query<{ request_hash: string; task_id: string; expires_at_ms: string }>(
    'SELECT request_hash, task_id, expires_at_ms FROM idempotency_keys WHERE key = $1',
    [key],
  );
  return rows[0];
}

async function readRecord(client: Queryable, id: string, lock = false): Promise<TaskRecord | undefined> {
  const { rows } = await client.query<{ record: unknown }>(
    `SELECT record FROM tasks WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? parseRecord(rows[0].record) : undefined;
}

/** Whether `lease` is the task's current one; a stale lease may write nothing. */
function holdsLease(record: TaskRecord, lease: Lease): boolean {
  return (
    record.status === 'processing' &&
    record.fencingToken === lease.fencingToken &&
    record.leaseOwner === lease.workerId
  );
}

async function finish(
  client: Queryable,
  notifications: Notifications,
  record: TaskRecord,
  nowMs: number,
  completion: FinalCompletion,
): Promise<TaskRecord> {
  const change = finished(record, nowMs, completion);
  await writeRecord(client, notifications, change.record, nowMs, change.event);
  return change.record;
}

async function writeRecord(
  client: Queryable,
  notifications: Notifications,
  record: TaskRecord,
  nowMs: number,
  event?: PendingEvent,
): Promise<void> {
  await client.query(
    `UPDATE tasks SET status = $2, run_after_ms = $3, lease_expires_at_ms = $4, fencing_token = $5, record = $6
     WHERE id = $1`,
    recordColumns(record),
  );
  if (event) await appendEvent(client, notifications, record.id, nowMs, event);
}

/** The values of the columns that copy the record, in the order the statements number them ($1 to $6). */
function recordColumns(record: TaskRecord): unknown[] {
  return [
    record.id,
    record.status,
    record.runAfterMs,
    record.leaseExpiresAtMs ?? null,
    record.fencingToken,
    record,
  ];
}

/** Callers hold the task's row lock, so the next sequence number cannot be taken twice. */
async function appendEvent(
  client: Queryable,
  notifications: Notifications,
  taskId: string,
  atMs: number,
  event: PendingEvent,
): Promise<void> {
  await client.query(
    `INSERT INTO task_events (task_id, sequence, type, at_ms, data)
     SELECT $1, COALESCE(MAX(sequence), 0) + 1, $2, $3, $4 FROM task_events WHERE task_id = $1`,
    [taskId, event.type, atMs, event.data],
  );
  // To every instance listening (SSE streams there read the new events).
  notifications.push(taskEventsNotification(taskId));
}

function parseRecord(value: unknown): TaskRecord {
  return taskRecordSchema.parse(value);
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`limit: must be an integer from 1 to ${MAX_PAGE_SIZE} (got ${limit}).`);
  }
  return limit;
}

/** Writes a claim inside the caller's transaction. */
async function claimRecord(
  client: Queryable,
  notifications: Notifications,
  record: TaskRecord,
  workerId: string,
  nowMs: number,
  leaseMs: number,
  reclaimed: boolean,
): Promise<{ task: TaskRecord; lease: Lease }> {
  const change = claimed(record, workerId, nowMs, leaseMs, reclaimed);
  await writeRecord(client, notifications, change.record, nowMs, change.event);
  return { task: change.record, lease: change.lease };
}
