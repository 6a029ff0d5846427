import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../tasks/task-record.js';
import { checkGlobalBudget, monthToDateSpendUsd } from './global-budget.js';

describe('checkGlobalBudget', () => {
  it('allows a task that fits and refuses one that does not, or once the budget is spent', () => {
    expect(checkGlobalBudget({ monthlyBudgetUsd: 10, spentUsd: 9, estimatedUsd: 0.5 })).toEqual({
      allowed: true,
      spentUsd: 9,
      remainingUsd: 1,
    });
    expect(checkGlobalBudget({ monthlyBudgetUsd: 10, spentUsd: 9.9, estimatedUsd: 0.5 })).toMatchObject({
      allowed: false,
    });
    const spent = checkGlobalBudget({ monthlyBudgetUsd: 10, spentUsd: 10, estimatedUsd: 0 });
    expect(spent.allowed === false && spent.reason).toContain('global monthly budget of $10.00 is spent');
  });

  it('refuses a task whose cost is unknown', () => {
    const decision = checkGlobalBudget({ monthlyBudgetUsd: 10, spentUsd: 0, estimatedUsd: undefined });
    expect(decision.allowed === false && decision.reason).toContain('a catalog price is missing');
  });
});

describe('monthToDateSpendUsd', () => {
  it('adds actual costs, or estimates where none is known yet, for this UTC month only', () => {
    const base = { status: 'success' } as TaskRecord;
    const tasks = [
      { ...base, createdAtMs: Date.UTC(2026, 5, 1), actualCostUsd: 2, estimatedCostUsd: 1 },
      { ...base, status: 'queued', createdAtMs: Date.UTC(2026, 5, 10), estimatedCostUsd: 0.5 },
      { ...base, status: 'cancelled', createdAtMs: Date.UTC(2026, 5, 10), estimatedCostUsd: 7 },
      { ...base, createdAtMs: Date.UTC(2026, 4, 31, 23), actualCostUsd: 100 },
    ] as TaskRecord[];
    expect(monthToDateSpendUsd(tasks, Date.UTC(2026, 5, 15))).toBeCloseTo(2.5, 10);
  });
});
