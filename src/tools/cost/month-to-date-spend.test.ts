import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../tasks/task-record.js';
import { monthToDateSpendUsd, startOfUtcMonthMs } from './month-to-date-spend.js';

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

describe('startOfUtcMonthMs', () => {
  it('is the first instant of the UTC month: the window monthly budgets count', () => {
    expect(startOfUtcMonthMs(Date.parse('2026-04-30T23:59:59Z'))).toBe(Date.parse('2026-04-01T00:00:00Z'));
    expect(startOfUtcMonthMs(Date.parse('2026-01-01T00:00:00Z'))).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });
});
