import type { Platform } from '../catalog/index.js';
import type { Attempt } from '../engine/index.js';
import type { Usage } from '../outcome/index.js';
import type { StoredMediaReference, TaskRequest } from './task-request.js';

/*
 * Task state machine. Every transition is one store write; a worker's write only lands while it holds
 * the current fencing token, so a stale worker (its lease expired and the task was claimed again) can
 * never complete, reschedule or release a task it no longer owns.
 *
 *                 claim (lease + new fencing token)
 *   ┌────────┐ ─────────────────────────────────────► ┌────────────┐ ── complete(success) ──► success
 *   │ queued │                                         │ processing │ ── complete(failed) ───► failed
 *   └────────┘ ◄── reschedule(runAfterMs) ──────────── └────────────┘ ── complete(cancelled) ► cancelled
 *     │   ▲    ◄── release (graceful shutdown) ─────────────┘ │
 *     │   └─────── lease expired: claimable again ───────────┘ (the process died; nothing is lost)
 *     └── cancel ──► cancelled
 *
 * A queued task is claimable once `runAfterMs <= now`; scheduled retries and tasks parked behind an open
 * circuit or a rate limit are queued tasks with a later `runAfterMs`, so they survive restarts. A cancel
 * of a processing task sets `cancelRequested`; the worker aborts and completes it as cancelled.
 * success, failed and cancelled are final.
 */
export type { StoredMediaReference, TaskRequest };

export type TaskStatus = 'queued' | 'processing' | 'success' | 'failed' | 'cancelled';
export const finalStatuses: readonly TaskStatus[] = ['success', 'failed', 'cancelled'];

export interface TaskImage {
  sha256: string;
  mimeType: string;
  width: number;
  height: number;
}

export interface TaskResult {
  images: TaskImage[];
  text?: string;
  /** History to send with the next turn of a multi-turn edit. */
  nextTurnContents: unknown[];
}

export interface TaskError {
  /** The outcome kind (`model_retired`, `blocked_output`…) or `cancelled` / `internal_error`. */
  type: string;
  code: string;
  message: string;
}

export interface TaskRecord {
  /** `task_img_<26 chars>`. */
  id: string;
  status: TaskStatus;
  /** 0-100. */
  progress: number;
  request: TaskRequest;
  metadata: Record<string, string>;
  webhookUrl?: string;
  /** The API key that submitted it (its id, never the secret). */
  apiKeyId?: string;
  createdAtMs: number;
  updatedAtMs: number;
  startedAtMs?: number;
  finishedAtMs?: number;
  /** Not claimable before this instant (scheduled retry, parked behind a breaker or a limit). */
  runAfterMs: number;
  /** How many times a worker has claimed it. */
  claimCount: number;
  /** Incremented on every claim; writes by a worker holding an older token are refused. */
  fencingToken: number;
  leaseOwner?: string;
  leaseExpiresAtMs?: number;
  cancelRequested: boolean;
  /** Cost estimated from catalog prices at submit time. */
  estimatedCostUsd?: number;
  result?: TaskResult;
  error?: TaskError;
  attempts: Attempt[];
  warnings: string[];
  usage?: Usage;
  actualCostUsd?: number;
  servedBy?: { modelId: string; platform: Platform };
  /**
   * `batch`: the task waits for a Gemini Batch API job (src/batch). Its `runAfterMs` is then the instant
   * it moves to the online lane if no batch result has finished it. Absent: the online lane.
   */
  lane?: 'batch';
  /** Batch lane: when the caller wants the task finished by, online if need be. */
  deadlineMs?: number;
  /** Batch lane: the local id of the batch job the task was gathered into (src/batch keeps the job). */
  batchJobId?: string;
}
