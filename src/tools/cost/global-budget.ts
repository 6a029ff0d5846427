import type { TaskRecord } from '../../tasks/task-record.js';

export type BudgetDecision =
  | { allowed: true; spentUsd: number; remainingUsd: number }
  | { allowed: false; spentUsd: number; remainingUsd: number; reason: string };

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

/**
 * Whether a new task fits the global monthly budget. Fails closed: an unknown estimate is refused
 * while a budget is set, and a budget already spent refuses everything.
 */
export function checkGlobalBudget(input: {
  monthlyBudgetUsd: number;
  spentUsd: number;
  /** The new task's estimate; undefined when a price is unknown. */
  estimatedUsd: number | undefined;
}): BudgetDecision {
  const remainingUsd = Math.max(0, input.monthlyBudgetUsd - input.spentUsd);
  const base = { spentUsd: input.spentUsd, remainingUsd };
  if (input.spentUsd >= input.monthlyBudgetUsd) {
    return {
      ...base,
      allowed: false,
      reason: `the global monthly budget of $${input.monthlyBudgetUsd.toFixed(2)} is spent ($${input.spentUsd.toFixed(2)} so far)`,
    };
  }
  if (input.estimatedUsd === undefined) {
    return {
      ...base,
      allowed: false,
      reason:
        'the cost of this task is unknown (a catalog price is missing), so it cannot be held to the global budget',
    };
  }
  if (input.estimatedUsd > remainingUsd) {
    return {
      ...base,
      allowed: false,
      reason: `this task (about $${input.estimatedUsd.toFixed(4)}) exceeds the $${remainingUsd.toFixed(4)} left in the global monthly budget`,
    };
  }
  return { ...base, allowed: true };
}
