import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { openSqliteDatabase, SqliteTaskStore, newTaskId, type TaskRequest } from '../tasks/index.js';
import { ApiError } from '../http/api-error.js';
import { enforceMonthlyBudget, spendThisMonthUsd } from './monthly-budget.js';

const request: TaskRequest = {
  model: 'image_fast',
  prompt: 'x',
  outputFormat: 'png',
  references: [],
  history: [],
  imageCount: 1,
};
const key = { id: 'key_a', name: 'a', prefix: 'igk_a', createdAtMs: 0, monthlyBudgetUsd: 1 };

async function storeWith(tasks: Array<{ keyId: string; atMs: number; estimatedCostUsd: number }>) {
  const store = new SqliteTaskStore(openSqliteDatabase(':memory:'), { clock: new ManualClock() });
  for (const task of tasks) {
    await store.create({
      id: newTaskId(task.atMs),
      request,
      metadata: {},
      apiKeyId: task.keyId,
      estimatedCostUsd: task.estimatedCostUsd,
      createdAtMs: task.atMs,
    });
  }
  return store;
}

describe('spendThisMonthUsd', () => {
  it("sums this month's tasks of the key across pages, ignoring other keys and months", async () => {
    const may = Date.UTC(2026, 4, 10);
    const store = await storeWith([
      ...Array.from({ length: 150 }, (_, index) => ({
        keyId: 'key_a',
        atMs: may + index,
        estimatedCostUsd: 0.01,
      })),
      { keyId: 'key_b', atMs: may, estimatedCostUsd: 5 },
      { keyId: 'key_a', atMs: Date.UTC(2026, 3, 30), estimatedCostUsd: 5 },
    ]);
    expect(await spendThisMonthUsd(store, 'key_a', may + 1000)).toBeCloseTo(1.5);
    // Without a key: every task of the month, whoever submitted it.
    expect(await spendThisMonthUsd(store, undefined, may + 1000)).toBeCloseTo(6.5);
  });
});

describe('enforceMonthlyBudget', () => {
  it('lets a key without a budget through, and refuses one whose estimate does not fit', async () => {
    const nowMs = Date.UTC(2026, 4, 10);
    const store = await storeWith([{ keyId: 'key_a', atMs: nowMs - 1, estimatedCostUsd: 0.9 }]);
    await expect(
      enforceMonthlyBudget({ store, key: { ...key, monthlyBudgetUsd: undefined }, estimatedUsd: 9, nowMs }),
    ).resolves.toBeUndefined();
    await expect(enforceMonthlyBudget({ store, key, estimatedUsd: 0.05, nowMs })).resolves.toBeUndefined();
    const refused = await enforceMonthlyBudget({ store, key, estimatedUsd: 0.2, nowMs }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 429, code: 'monthly_budget_exceeded' });
    const unknownPrice = await enforceMonthlyBudget({
      store,
      key,
      estimatedUsd: undefined,
      missingPrice: 'pricing.perImageUsd.4K of some-model',
      nowMs,
    }).catch((error: unknown) => error);
    expect(unknownPrice).toMatchObject({ status: 429, code: 'monthly_budget_exceeded' });
    expect((unknownPrice as Error).message).toContain(
      'the catalog does not know pricing.perImageUsd.4K of some-model',
    );
  });
});

describe('enforceMonthlyBudget with a server-wide budget', () => {
  it('counts every key and keyless tasks, and refuses once the month is spent', async () => {
    const nowMs = Date.UTC(2026, 4, 10);
    const store = await storeWith([
      { keyId: 'key_a', atMs: nowMs - 2, estimatedCostUsd: 4 },
      { keyId: 'key_b', atMs: nowMs - 1, estimatedCostUsd: 5.5 },
    ]);
    const budget = { store, key: undefined, nowMs, globalMonthlyBudgetUsd: 10 };
    await expect(enforceMonthlyBudget({ ...budget, estimatedUsd: 0.4 })).resolves.toBeUndefined();
    const refused = await enforceMonthlyBudget({ ...budget, estimatedUsd: 0.6 }).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ status: 429, code: 'monthly_budget_exceeded' });
    expect((refused as Error).message).toMatch(/monthly budget of this server is \$10\.00/);
    const unknownPrice = await enforceMonthlyBudget({ ...budget, estimatedUsd: undefined }).catch(
      (error: unknown) => error,
    );
    expect((unknownPrice as Error).message).toMatch(/cannot be estimated/);
  });
});
