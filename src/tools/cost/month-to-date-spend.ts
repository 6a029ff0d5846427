import type { TaskRecord } from '../../tasks/index.js';
import { taskSpendUsd } from '../../tasks/index.js';

/** First instant of the UTC calendar month holding `atMs`. */
export function startOfUtcMonthMs(atMs: number): number {
  const date = new Date(atMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * What tasks created this UTC month count against a budget (see `taskSpendUsd`): the actual cost where
 * known, the estimate of tasks still queued or running.
 */
export function monthToDateSpendUsd(tasks: readonly TaskRecord[], atMs: number): number {
  const fromMs = startOfUtcMonthMs(atMs);
  return tasks
    .filter((task) => task.createdAtMs >= fromMs && task.createdAtMs <= atMs)
    .reduce((sum, task) => sum + taskSpendUsd(task), 0);
}
