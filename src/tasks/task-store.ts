import type { TaskError, TaskRecord, TaskRequest, TaskResult, TaskStatus } from './task-record.js';
import type { Attempt } from '../engine/index.js';
import type { Usage } from '../outcome/index.js';
import type { Platform } from '../catalog/index.js';
import { ImagegateError } from '../errors/index.js';

export interface NewTask {
  id: string;
  request: TaskRequest;
  metadata: Record<string, string>;
  webhookUrl?: string;
  apiKeyId?: string;
  estimatedCostUsd?: number;
  createdAtMs: number;
  /**
   * The batch lane: the task is left to a batch job and becomes claimable by workers (the online lane)
   * only at `batch.onlineFromMs`, shortly before `batch.deadlineMs`. Default: the online lane, claimable at once.
   */
  batch?: { deadlineMs: number; onlineFromMs: number };
}

export interface IdempotencyClaim {
  /** Scoped per API key by the caller (`<keyId>:<header value>`). */
  key: string;
  /** Hash of the canonical request body: the same key with another body is a conflict. */
  requestHash: string;
  expiresAtMs: number;
}

/** The same Idempotency-Key was used with a different body. */
export class IdempotencyConflictError extends ImagegateError {
  constructor(readonly existingTaskId: string) {
    super(
      'conflict',
      `This Idempotency-Key was already used with a different request body (task ${existingTaskId}).`,
      { field: 'Idempotency-Key', code: 'idempotency_key_reused' },
    );
  }
}

/** One monthly cap a new task must fit under: one key's, or every task's (`apiKeyId` undefined). */
export interface SpendCap {
  apiKeyId?: string;
  limitUsd: number;
}

/**
 * Caps checked in the same transaction that creates the task, so concurrent submits cannot all pass
 * a check made before any of them was recorded. The task's `estimatedCostUsd` is what it reserves.
 */
export interface TaskBudget {
  /** Tasks created from this instant on count (the start of the UTC month, by the injected clock). */
  sinceMs: number;
  caps: SpendCap[];
}

/** A new task would take a cap past its limit; nothing was created. */
export class BudgetExceededError extends ImagegateError {
  constructor(
    readonly cap: SpendCap,
    /** What counted against the cap before this task (see `taskSpendUsd`). */
    readonly spentUsd: number,
    readonly estimatedUsd: number,
  ) {
    super(
      'budget_exceeded',
      `The task's estimated $${estimatedUsd} would take the spend of ${cap.apiKeyId ?? 'all keys'} from $${spentUsd} past its limit of $${cap.limitUsd}.`,
    );
  }
}

export interface TaskListFilter {
  status?: TaskStatus;
  model?: string;
  /** Tasks of this key; null: tasks submitted without a key. Default: every task. */
  apiKeyId?: string | null;
  createdAfterMs?: number;
  createdBeforeMs?: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
  /** Default 20, at most 100. */
  limit?: number;
}

export interface Lease {
  taskId: string;
  workerId: string;
  fencingToken: number;
}

export type TaskCompletion =
  | {
      status: 'success';
      result: TaskResult;
      attempts: Attempt[];
      warnings: string[];
      usage?: Usage;
      actualCostUsd?: number;
      servedBy: { modelId: string; platform: Platform };
    }
  | {
      status: 'failed' | 'cancelled';
      error: TaskError;
      attempts: Attempt[];
      warnings: string[];
      usage?: Usage;
      actualCostUsd?: number;
    };

/** An event in a task's life, in order; SSE replays them from any sequence number. */
export interface TaskEvent {
  taskId: string;
  /** Increases by one per task, from 1. */
  sequence: number;
  type: 'queued' | 'processing' | 'progress' | 'attempt' | 'rescheduled' | 'success' | 'failed' | 'cancelled';
  atMs: number;
  data: Record<string, unknown>;
}

/**
 * Durable task storage. One contract, several adapters (SQLite now; PostgreSQL later), all held to the
 * same shared test suite. Every method is atomic; methods taking a `Lease` return false, changing
 * nothing, when the lease is stale (another worker has claimed the task since).
 */
export interface TaskStore {
  /**
   * True when writes called one after another without waiting (in one event-loop turn) are applied in
   * the order called and committed together (SQLite's group commit). The worker then sends the writes
   * that end a run at once, for one commit; otherwise it waits for each before sending the next.
   */
  readonly appliesWritesInCallOrder?: boolean;
  /**
   * Commits a new task (and its `queued` event) before returning. With an idempotency claim, a second
   * call with the same key and hash returns the first task with `created: false`; another hash throws
   * `IdempotencyConflictError`. Expired claims are ignored. With a budget, the task is created only if
   * its estimate fits under every cap together with what is already spent or reserved, checked in the
   * same transaction; otherwise `BudgetExceededError` and nothing is created. A replay is never refused.
   */
  create(
    task: NewTask,
    idempotency?: IdempotencyClaim,
    nowMs?: number,
    budget?: TaskBudget,
  ): Promise<{ task: TaskRecord; created: boolean }>;
  /**
   * The task a live idempotency claim with this key already created, read without creating anything, so
   * a retried submit is answered before its budget is checked or its references fetched again. Undefined
   * when the key is unused or expired; another hash throws `IdempotencyConflictError`.
   */
  findIdempotent(
    claim: Pick<IdempotencyClaim, 'key' | 'requestHash'>,
    nowMs?: number,
  ): Promise<TaskRecord | undefined>;
  get(id: string): Promise<TaskRecord | undefined>;
  /** Newest first. */
  list(filter: TaskListFilter): Promise<{ tasks: TaskRecord[]; nextCursor?: string }>;

  /**
   * Claims the task claimable longest: queued with `runAfterMs <= nowMs` (earliest `runAfterMs` first, then
   * oldest), or processing with an expired lease and due (`runAfterMs <= nowMs`; by age).
   */
  claim(
    workerId: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<{ task: TaskRecord; lease: Lease } | undefined>;
  /** Extends a live lease. */
  heartbeat(lease: Lease, nowMs: number, leaseMs: number): Promise<boolean>;
  setProgress(lease: Lease, progress: number, nowMs: number): Promise<boolean>;
  recordAttempt(lease: Lease, attempt: Attempt, nowMs: number): Promise<boolean>;
  /**
   * Makes the task final and clears its lease. `completion.attempts` and `warnings` are the task's full
   * lists (earlier runs included) and replace what `recordAttempt` appended along the way.
   */
  complete(lease: Lease, completion: TaskCompletion, nowMs: number): Promise<boolean>;
  /** Back to queued, claimable from `runAfterMs` (a scheduled retry or a task parked behind a breaker). */
  reschedule(lease: Lease, runAfterMs: number, reason: string, nowMs: number): Promise<boolean>;
  /**
   * Back to queued until `runAfterMs`, and this claim does not count as a run (`claimCount` goes back down):
   * the run was refused by open circuit breakers and reached no model. Logged as a `rescheduled` event
   * with `parked: true`.
   */
  park(lease: Lease, runAfterMs: number, reason: string, nowMs: number): Promise<boolean>;
  /**
   * Moves every queued task of `model` that would be claimable before `runAfterMs` to `runAfterMs`, in one
   * write and without events (their model's circuits are open: claiming them would only park them one by
   * one). Returns how many moved.
   */
  parkQueued(model: string, runAfterMs: number, nowMs: number): Promise<number>;
  /**
   * Undoes `parkQueued(model, parkedUntilMs)`: queued tasks of `model` due exactly at `parkedUntilMs` become
   * claimable at `nowMs`, in one write and without events. Returns how many moved.
   */
  unparkQueued(model: string, parkedUntilMs: number, nowMs: number): Promise<number>;
  /**
   * Queued batch-lane tasks not yet gathered into a batch job and not yet due online (`runAfterMs > nowMs`),
   * oldest first.
   */
  queuedForBatch(nowMs: number, limit: number): Promise<TaskRecord[]>;
  /**
   * Marks tasks as gathered into batch job `batchJobId`, in one transaction; only tasks still queued,
   * batch-lane and ungathered are marked. Returns the ids marked.
   */
  assignBatchJob(taskIds: string[], batchJobId: string, nowMs: number): Promise<string[]>;
  /**
   * Claims one named task whatever its `runAfterMs` (a batch result arrived for it): queued, or processing
   * under an expired lease (a batch lane that died while writing it). Undefined otherwise (a worker took it
   * online, it was cancelled or finished).
   */
  claimTask(
    taskId: string,
    workerId: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<{ task: TaskRecord; lease: Lease } | undefined>;
  /**
   * A batch item that failed transiently: back to queued and out of its batch job, so a later job gathers
   * it; claimable by workers from `runAfterMs` (its online margin). Logged as a `rescheduled` event with
   * `lane: 'batch'`.
   */
  returnToBatch(lease: Lease, runAfterMs: number, reason: string, nowMs: number): Promise<boolean>;
  /** Back to queued, claimable at once (graceful shutdown); logged as a `queued` event with reason `released`. */
  release(lease: Lease, nowMs: number): Promise<boolean>;

  /**
   * Deletes final tasks (success, failed, cancelled) that finished before `finishedBeforeMs`, with their
   * events and idempotency keys. Returns how many tasks went.
   */
  pruneFinished(finishedBeforeMs: number): Promise<number>;
  /**
   * The SHA-256 of every blob a stored task refers to: reference images, videos, result images, and the
   * stored images of its conversation (history and next_turn_contents).
   */
  referencedBlobs(): Promise<Set<string>>;

  /** Cancels a queued task at once; marks a processing one `cancelRequested`. Final tasks are unchanged. */
  requestCancel(id: string, nowMs: number): Promise<TaskRecord | undefined>;
  /** Events of a task after a sequence number (0 = from the start). */
  eventsAfter(taskId: string, afterSequence: number): Promise<TaskEvent[]>;

  close(): Promise<void>;
}

export type { TaskError, TaskRecord, TaskRequest, TaskResult, TaskStatus };
