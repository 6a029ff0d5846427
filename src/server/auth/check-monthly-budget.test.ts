import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from './api-key-store.js';
import { checkMonthlyBudget } from './check-monthly-budget.js';

const key = (monthlyBudgetUsd?: number): ApiKeyRecord => ({
  id: 'key_abc',
  name: 'jobs',
  prefix: 'igk_abc123',
  createdAtMs: 0,
  ...(monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd } : {}),
});

describe('checkMonthlyBudget', () => {
  it('passes without any budget, even when the cost is unknown', () => {
    expect(checkMonthlyBudget({ key: key(), spentThisMonthUsd: 1e6, estimatedUsd: undefined })).toEqual({
      ok: true,
    });
    expect(checkMonthlyBudget({ key: undefined, spentThisMonthUsd: 0, estimatedUsd: 1 })).toEqual({
      ok: true,
    });
  });

  it('passes up to the key budget exactly and refuses past it', () => {
    expect(checkMonthlyBudget({ key: key(50), spentThisMonthUsd: 49.9, estimatedUsd: 0.1 })).toEqual({
      ok: true,
    });
    const refused = checkMonthlyBudget({ key: key(50), spentThisMonthUsd: 49.9, estimatedUsd: 0.134 });
    expect(refused).toEqual({
      ok: false,
      message: expect.stringContaining(
        'The monthly budget of API key "jobs" (igk_abc123…) is $50.00; $49.90 is spent',
      ),
    });
    expect(refused.ok === false && refused.message).toContain('estimated at $0.1340');
  });

  it('fails closed with the missing price named when a budget is set and the cost is unknown', () => {
    const refused = checkMonthlyBudget({
      key: key(50),
      spentThisMonthUsd: 0,
      estimatedUsd: undefined,
      missingPrice: 'the 4K output price of the served model',
    });
    expect(refused.ok).toBe(false);
    expect(refused.ok === false && refused.message).toContain(
      'the catalog does not know the 4K output price',
    );
    const generic = checkMonthlyBudget({
      key: undefined,
      spentThisMonthUsd: 0,
      estimatedUsd: undefined,
      globalMonthlyBudgetUsd: 100,
    });
    expect(generic.ok === false && generic.message).toContain('the price of this request');
  });

  it('applies the global budget to every key and to keyless requests', () => {
    const global = { globalMonthlyBudgetUsd: 100, globalSpentUsd: 99.95 };
    const refused = checkMonthlyBudget({ key: key(50), spentThisMonthUsd: 1, estimatedUsd: 0.1, ...global });
    expect(refused.ok === false && refused.message).toContain('The monthly budget of this server is $100.00');
    expect(
      checkMonthlyBudget({ key: undefined, spentThisMonthUsd: 0, estimatedUsd: 0.04, ...global }),
    ).toEqual({
      ok: true,
    });
  });
});
