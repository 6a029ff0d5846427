import type { ApiKeyRecord } from './auth/index.js';
import { checkMonthlyBudget, monthStartMs } from './auth/index.js';
import type { TaskStore } from '../tasks/index.js';
import { monthToDateSpendUsd } from '../tools/cost/index.js';
import { ApiError } from './api-error.js';

/** What a key's tasks created this UTC month cost: actual cost where known, else the estimate. */
export async function keySpendThisMonthUsd(store: TaskStore, keyId: string, nowMs: number): Promise<number> {
  let spentUsd = 0;
  let cursor: string | undefined;
  do {
    const page = await store.list({
      apiKeyId: keyId,
      createdAfterMs: monthStartMs(nowMs) - 1,
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    spentUsd += monthToDateSpendUsd(page.tasks, nowMs);
    cursor = page.nextCursor;
  } while (cursor);
  return spentUsd;
}

/**
 * Refuses a submission that would take a key over its monthly budget (or whose cost is unknown while a
 * budget is set) with a 429 whose Retry-After is the start of next month, when the budget renews.
 * Keys without a budget pass without a store read.
 */
export async function enforceMonthlyBudget(input: {
  store: TaskStore;
  key: ApiKeyRecord | undefined;
  estimatedUsd: number | undefined;
  nowMs: number;
}): Promise<void> {
  const { key } = input;
  if (key?.monthlyBudgetUsd === undefined) return;
  const spentThisMonthUsd = await keySpendThisMonthUsd(input.store, key.id, input.nowMs);
  const check = checkMonthlyBudget({ key, spentThisMonthUsd, estimatedUsd: input.estimatedUsd });
  if (check.ok) return;
  const now = new Date(input.nowMs);
  const nextMonthMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const retryAfterSeconds = Math.max(1, Math.ceil((nextMonthMs - input.nowMs) / 1000));
  throw new ApiError(429, 'rate_limit_exceeded', 'monthly_budget_exceeded', check.message, null, {
    'Retry-After': String(retryAfterSeconds),
  });
}
