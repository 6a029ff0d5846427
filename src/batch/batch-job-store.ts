import type Database from 'better-sqlite3';
import { z } from 'zod';

/**
 * Batch jobs and their items, in the task database. A job row and its items are written before the job
 * is submitted, and the upstream name right after, so a restarted lane resumes polling instead of
 * submitting again (see docs/batch.md).
 */

/** `submitting`: stored, not yet known upstream. Then the Batch API's own states, `JOB_STATE_…`. */
export type BatchJobState = string;

/**
 * An item's state in its job: `retried` ended in this job with a transient error and its task waits for a
 * later job; `online` moved to the online lane.
 */
export const batchItemStates = ['pending', 'succeeded', 'failed', 'retried', 'online'] as const;
export type BatchItemState = (typeof batchItemStates)[number];

export interface BatchJobItem {
  taskId: string;
  /** The line's key in the job: the task id. */
  key: string;
  apiKeyId?: string;
  state: BatchItemState;
}

export interface BatchJob {
  /** Local id, also the job's display name upstream. */
  id: string;
  /** The Batch API's name (`batches/…`), once created. */
  name?: string;
  modelId: string;
  state: BatchJobState;
  /** Final: results mapped or items released; the lane no longer polls it. */
  finished: boolean;
  createdAtMs: number;
  updatedAtMs: number;
  nextPollAtMs: number;
  polls: number;
}

export interface BatchJobView extends BatchJob {
  counts: Record<BatchItemState, number>;
}

const createStatements = [
  `CREATE TABLE IF NOT EXISTS batch_jobs (
     id TEXT PRIMARY KEY,
     name TEXT,
     model_id TEXT NOT NULL,
     state TEXT NOT NULL,
     finished INTEGER NOT NULL,
     created_at_ms INTEGER NOT NULL,
     updated_at_ms INTEGER NOT NULL,
     next_poll_at_ms INTEGER NOT NULL,
     polls INTEGER NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS batch_jobs_by_poll ON batch_jobs (finished, next_poll_at_ms)`,
  `CREATE TABLE IF NOT EXISTS batch_job_items (
     job_id TEXT NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,
     key TEXT NOT NULL,
     task_id TEXT NOT NULL,
     api_key_id TEXT,
     state TEXT NOT NULL,
     PRIMARY KEY (job_id, key)
   )`,
  `CREATE INDEX IF NOT EXISTS batch_job_items_by_task ON batch_job_items (task_id)`,
  `CREATE INDEX IF NOT EXISTS batch_job_items_by_key_id ON batch_job_items (api_key_id, job_id)`,
];

const jobRowSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  model_id: z.string(),
  state: z.string(),
  finished: z.number(),
  created_at_ms: z.number(),
  updated_at_ms: z.number(),
  next_poll_at_ms: z.number(),
  polls: z.number(),
});

const itemRowSchema = z.object({
  key: z.string(),
  task_id: z.string(),
  api_key_id: z.string().nullable(),
  state: z.enum(batchItemStates),
});

const countRowSchema = z.object({
  state: z.enum(batchItemStates),
  count: z.number(),
});

export class BatchJobStore {
  constructor(private readonly database: Database.Database) {
    database.transaction(() => {
      for (const statement of createStatements) database.prepare(statement).run();
    })();
  }

  /** Stores a new job (state `submitting`) with its items, in one transaction. */
  insert(job: { id: string; modelId: string; nowMs: number; items: Omit<BatchJobItem, 'state'>[] }): void {
    this.database
      .transaction(() => {
        this.database
          .prepare(
            `INSERT INTO batch_jobs (id, name, model_id, state, finished, created_at_ms, updated_at_ms, next_poll_at_ms, polls)
             VALUES (?, NULL, ?, 'submitting', 0, ?, ?, ?, 0)`,
          )
          .run(job.id, job.modelId, job.nowMs, job.nowMs, job.nowMs);
        const insertItem = this.database.prepare(
          `INSERT INTO batch_job_items (job_id, key, task_id, api_key_id, state) VALUES (?, ?, ?, ?, 'pending')`,
        );
        for (const item of job.items) insertItem.run(job.id, item.key, item.taskId, item.apiKeyId ?? null);
      })
      .immediate();
  }

  get(id: string): BatchJob | undefined {
    const row = this.database.prepare('SELECT * FROM batch_jobs WHERE id = ?').get(id);
    return row === undefined ? undefined : jobOf(row);
  }

  items(jobId: string): BatchJobItem[] {
    return this.database
      .prepare('SELECT key, task_id, api_key_id, state FROM batch_job_items WHERE job_id = ? ORDER BY rowid')
      .all(jobId)
      .map((row) => itemOf(row));
  }

  /** Drops items whose tasks could not be gathered (cancelled in between). */
  removeItems(jobId: string, keys: string[]): void {
    const statement = this.database.prepare('DELETE FROM batch_job_items WHERE job_id = ? AND key = ?');
    this.database.transaction(() => {
      for (const key of keys) statement.run(jobId, key);
    })();
  }

  /** Unfinished jobs whose next poll is due (`submitting` jobs included: they resume). */
  due(nowMs: number): BatchJob[] {
    return this.database
      .prepare(
        'SELECT * FROM batch_jobs WHERE finished = 0 AND next_poll_at_ms <= ? ORDER BY created_at_ms, id',
      )
      .all(nowMs)
      .map((row) => jobOf(row));
  }

  update(
    id: string,
    change: { name?: string; state?: string; finished?: boolean; nextPollAtMs?: number; polls?: number },
    nowMs: number,
  ): void {
    const job = this.get(id);
    if (!job) return;
    this.database
      .prepare(
        `UPDATE batch_jobs SET name = ?, state = ?, finished = ?, next_poll_at_ms = ?, polls = ?, updated_at_ms = ? WHERE id = ?`,
      )
      .run(
        change.name ?? job.name ?? null,
        change.state ?? job.state,
        (change.finished ?? job.finished) ? 1 : 0,
        change.nextPollAtMs ?? job.nextPollAtMs,
        change.polls ?? job.polls,
        nowMs,
        id,
      );
  }

  setItemState(jobId: string, key: string, state: BatchItemState): void {
    this.database
      .prepare('UPDATE batch_job_items SET state = ? WHERE job_id = ? AND key = ?')
      .run(state, jobId, key);
  }

  /** Newest first; with `apiKeyId`, only jobs holding at least one task of that key (null: keyless tasks). */
  list(filter: { apiKeyId?: string | null; limit?: number } = {}): BatchJobView[] {
    const limit = filter.limit ?? 100;
    const rows =
      filter.apiKeyId === undefined
        ? this.database
            .prepare('SELECT * FROM batch_jobs ORDER BY created_at_ms DESC, id DESC LIMIT ?')
            .all(limit)
        : this.database
            .prepare(
              `SELECT * FROM batch_jobs WHERE id IN (SELECT job_id FROM batch_job_items WHERE api_key_id IS ?)
               ORDER BY created_at_ms DESC, id DESC LIMIT ?`,
            )
            .all(filter.apiKeyId, limit);
    return rows.map((row) => {
      const job = jobOf(row);
      const counts = Object.fromEntries(batchItemStates.map((state) => [state, 0])) as Record<
        BatchItemState,
        number
      >;
      for (const item of this.items(job.id)) counts[item.state] += 1;
      return { ...job, counts };
    });
  }

  /** Items of every job by state (for metrics). */
  itemCounts(): Record<BatchItemState, number> {
    const counts = Object.fromEntries(batchItemStates.map((state) => [state, 0])) as Record<
      BatchItemState,
      number
    >;
    const rows = this.database
      .prepare('SELECT state, COUNT(*) AS count FROM batch_job_items GROUP BY state')
      .all();
    for (const row of rows) {
      const parsed = countRowSchema.parse(row);
      counts[parsed.state] = parsed.count;
    }
    return counts;
  }

  /** The latest job a task was gathered into, for the task view. */
  jobOfTask(taskId: string): BatchJob | undefined {
    const row = this.database
      .prepare(
        `SELECT batch_jobs.* FROM batch_jobs JOIN batch_job_items ON batch_job_items.job_id = batch_jobs.id
         WHERE batch_job_items.task_id = ? ORDER BY batch_jobs.created_at_ms DESC LIMIT 1`,
      )
      .get(taskId);
    return row === undefined ? undefined : jobOf(row);
  }
}

function jobOf(raw: unknown): BatchJob {
  const row = jobRowSchema.parse(raw);
  return {
    id: row.id,
    ...(row.name !== null ? { name: row.name } : {}),
    modelId: row.model_id,
    state: row.state,
    finished: row.finished === 1,
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
    nextPollAtMs: row.next_poll_at_ms,
    polls: row.polls,
  };
}

function itemOf(raw: unknown): BatchJobItem {
  const row = itemRowSchema.parse(raw);
  return {
    key: row.key,
    taskId: row.task_id,
    ...(row.api_key_id !== null ? { apiKeyId: row.api_key_id } : {}),
    state: row.state,
  };
}
