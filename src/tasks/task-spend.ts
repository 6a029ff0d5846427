import type { TaskRecord } from './task-record.js';

/**
 * What a task counts against a budget: a task not yet final holds its estimate (reserved at creation,
 * or what it has really cost once known); a final one counts only what it really cost, so a task that
 * failed or was cancelled before any billed call releases its reservation, and a finished one settles
 * to its actual cost. `SqliteTaskStore` computes the same sum in SQL when it reserves.
 */
export function taskSpendUsd(
  task: Pick<TaskRecord, 'status' | 'actualCostUsd' | 'estimatedCostUsd'>,
): number {
  if (task.status === 'queued' || task.status === 'processing') {
    return task.actualCostUsd ?? task.estimatedCostUsd ?? 0;
  }
  return task.actualCostUsd ?? 0;
}
