import type { Attempt } from '../engine/index.js';
import type { TaskRecord } from './task-record.js';
import type { Lease, NewTask, TaskCompletion, TaskEvent } from './task-store.js';

/*
 * The state machine's transitions (drawn in task-record.ts) as pure functions: what a record becomes and
 * which event is logged. Every store adapter applies them inside its own transaction and fencing check,
 * so SQLite and PostgreSQL cannot drift apart on what a reschedule or a claim means.
 */

export interface PendingTaskEvent {
  type: TaskEvent['type'];
  data: Record<string, unknown>;
}

export interface TaskChange {
  record: TaskRecord;
  event?: PendingTaskEvent;
}

/** A new task as it is first stored: queued, claimable at once or (batch lane) when it may go online. */
export function created(task: NewTask): TaskRecord {
  return {
    id: task.id,
    status: 'queued',
    progress: 0,
    request: task.request,
    metadata: task.metadata,
    ...(task.webhookUrl !== undefined ? { webhookUrl: task.webhookUrl } : {}),
    ...(task.apiKeyId !== undefined ? { apiKeyId: task.apiKeyId } : {}),
    ...(task.estimatedCostUsd !== undefined ? { estimatedCostUsd: task.estimatedCostUsd } : {}),
    createdAtMs: task.createdAtMs,
    updatedAtMs: task.createdAtMs,
    runAfterMs: task.batch?.onlineFromMs ?? task.createdAtMs,
    ...(task.batch ? { lane: 'batch' as const, deadlineMs: task.batch.deadlineMs } : {}),
    claimCount: 0,
    fencingToken: 0,
    cancelRequested: false,
    attempts: [],
    warnings: [],
  };
}

/** A change made by the worker holding the lease; applied only while its fencing token is current. */
export type LeasedChange = (record: TaskRecord) => TaskChange;

export type FinalCompletion =
  TaskCompletion | { status: 'cancelled'; error: NonNullable<TaskRecord['error']> };

export function unleased(record: TaskRecord): TaskRecord {
  const { leaseOwner: _owner, leaseExpiresAtMs: _expiry, ...rest } = record;
  return rest;
}

/**
 * Whether `claimTask` may take this named task: queued (whatever its `runAfterMs`), or processing under a
 * lease that has expired (a batch lane that died while writing its result claims it back; workers do not
 * reclaim a task before its `runAfterMs`, see the stores' expired-lease claims).
 */
export function claimableById(record: TaskRecord | undefined, nowMs: number): record is TaskRecord {
  if (record?.status === 'queued') return true;
  return record?.status === 'processing' && (record.leaseExpiresAtMs ?? 0) <= nowMs;
}

/** Leases a task to a worker with a new fencing token; one `processing` event. */
export function claimed(
  record: TaskRecord,
  workerId: string,
  nowMs: number,
  leaseMs: number,
  reclaimed: boolean,
): TaskChange & { lease: Lease } {
  const task: TaskRecord = {
    ...record,
    status: 'processing',
    claimCount: record.claimCount + 1,
    fencingToken: record.fencingToken + 1,
    leaseOwner: workerId,
    leaseExpiresAtMs: nowMs + leaseMs,
    startedAtMs: record.startedAtMs ?? nowMs,
    updatedAtMs: nowMs,
  };
  return {
    record: task,
    event: {
      type: 'processing',
      data: {
        workerId,
        claimCount: task.claimCount,
        ...(reclaimed ? { reclaimedAfterLeaseExpiry: true } : {}),
      },
    },
    lease: { taskId: task.id, workerId, fencingToken: task.fencingToken },
  };
}

export const heartbeat =
  (nowMs: number, leaseMs: number): LeasedChange =>
  (record) => ({ record: { ...record, leaseExpiresAtMs: nowMs + leaseMs } });

export const progressed =
  (progress: number): LeasedChange =>
  (record) => {
    const clamped = Math.min(100, Math.max(0, Math.round(progress)));
    return {
      record: { ...record, progress: clamped },
      event: { type: 'progress', data: { progress: clamped } },
    };
  };

export const attempted =
  (attempt: Attempt): LeasedChange =>
  (record) => ({
    record: { ...record, attempts: [...record.attempts, attempt] },
    event: { type: 'attempt', data: { attempt } },
  });

export const rescheduled =
  (runAfterMs: number, reason: string): LeasedChange =>
  (record) => ({
    record: unleased({ ...record, status: 'queued', runAfterMs }),
    event: { type: 'rescheduled', data: { runAfterMs, reason } },
  });

/** Like a reschedule, but the run does not count: it was refused by open breakers and reached no model. */
export const parked =
  (runAfterMs: number, reason: string): LeasedChange =>
  (record) => ({
    record: unleased({
      ...record,
      status: 'queued',
      runAfterMs,
      claimCount: Math.max(0, record.claimCount - 1),
    }),
    event: { type: 'rescheduled', data: { runAfterMs, reason, parked: true } },
  });

/**
 * A batch item that failed transiently goes back to the batch lane: queued, out of its job (so a later job
 * gathers it), still due online at `runAfterMs`. The lane's claim does not count as a run.
 */
export const returnedToBatch =
  (runAfterMs: number, reason: string): LeasedChange =>
  (record) => {
    const { batchJobId: _job, ...rest } = record;
    return {
      record: unleased({
        ...rest,
        status: 'queued',
        runAfterMs,
        claimCount: Math.max(0, record.claimCount - 1),
      }),
      event: { type: 'rescheduled', data: { runAfterMs, reason, lane: 'batch' } },
    };
  };

export const released =
  (nowMs: number): LeasedChange =>
  (record) => ({
    record: unleased({ ...record, status: 'queued', runAfterMs: nowMs }),
    event: { type: 'queued', data: { reason: 'released' } },
  });

/** A final state: success, failed or cancelled, with its event. */
export function finished(record: TaskRecord, nowMs: number, completion: FinalCompletion): TaskChange {
  const final: TaskRecord = unleased({
    ...record,
    status: completion.status,
    progress: completion.status === 'success' ? 100 : record.progress,
    finishedAtMs: nowMs,
    updatedAtMs: nowMs,
    ...('attempts' in completion ? { attempts: completion.attempts, warnings: completion.warnings } : {}),
    ...('usage' in completion && completion.usage ? { usage: completion.usage } : {}),
    ...('actualCostUsd' in completion && completion.actualCostUsd !== undefined
      ? { actualCostUsd: completion.actualCostUsd }
      : {}),
    ...(completion.status === 'success'
      ? { result: completion.result, servedBy: completion.servedBy }
      : { error: completion.error }),
  });
  const data =
    completion.status === 'success'
      ? { images: completion.result.images.map((image) => image.sha256), servedBy: completion.servedBy }
      : { error: completion.error };
  return { record: final, event: { type: completion.status, data } };
}
