import type { TaskRecord } from '../../tasks/index.js';

/** First instant of the UTC calendar month holding `atMs`. */
export function startOfUtcMonthMs(atMs: number): number {
  const date = new Date(atMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * What tasks created this UTC month have cost: the actual cost where known, else the estimate (a
 * queued task will spend about that much).
 */
export function monthToDateSpendUsd(tasks: readonly TaskRecord[], atMs: number): number {
  const fromMs = startOfUtcMonthMs(atMs);
  return tasks
    .filter((task) => task.createdAtMs >= fromMs && task.createdAtMs <= atMs && task.status !== 'cancelled')
    .reduce((sum, task) => sum + (task.actualCostUsd ?? task.estimatedCostUsd ?? 0), 0);
}
