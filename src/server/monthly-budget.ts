import type { ApiKeyRecord } from './auth/index.js';
import { checkMonthlyBudget } from './auth/index.js';
import type { TaskStore } from '../tasks/index.js';
import { monthToDateSpendUsd, startOfUtcMonthMs } from '../tools/cost/index.js';
import { rateLimited } from '../http/index.js';

/**
 * What tasks created this UTC month cost (one key's, or every task's without a key id): actual cost
 * where known, else the estimate.
 */
export async function spendThisMonthUsd(
  store: TaskStore,
  keyId: string | undefined,
  nowMs: number,
): Promise<number> {
  let spentUsd = 0;
  let cursor: string | undefined;
  do {
    const page = await store.list({
      ...(keyId ? { apiKeyId: keyId } : {}),
      createdAfterMs: startOfUtcMonthMs(nowMs) - 1,
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    spentUsd += monthToDateSpendUsd(page.tasks, nowMs);
    cursor = page.nextCursor;
  } while (cursor);
  return spentUsd;
}

/**
 * Refuses a submission that would take its key, or the whole server, over a monthly budget (or whose
 * cost is unknown while a budget is set) with a 429 whose Retry-After is the start of next month, when
 * budgets renew. Without budgets it passes without a store read.
 */
export async function enforceMonthlyBudget(input: {
  store: TaskStore;
  key: ApiKeyRecord | undefined;
  estimatedUsd: number | undefined;
  nowMs: number;
  /** The server's cap for all keys together (config `server.monthlyBudgetUsd`). Default: none. */
  globalMonthlyBudgetUsd?: number | undefined;
  /** The catalog field missing when `estimatedUsd` is undefined, named in the refusal. Default: not named. */
  missingPrice?: string;
}): Promise<void> {
  const { key, globalMonthlyBudgetUsd } = input;
  if (key?.monthlyBudgetUsd === undefined && globalMonthlyBudgetUsd === undefined) return;
  const spentThisMonthUsd =
    key?.monthlyBudgetUsd === undefined ? 0 : await spendThisMonthUsd(input.store, key.id, input.nowMs);
  const globalSpentUsd =
    globalMonthlyBudgetUsd === undefined ? 0 : await spendThisMonthUsd(input.store, undefined, input.nowMs);
  const check = checkMonthlyBudget({
    key,
    spentThisMonthUsd,
    estimatedUsd: input.estimatedUsd,
    ...(input.missingPrice !== undefined ? { missingPrice: input.missingPrice } : {}),
    ...(globalMonthlyBudgetUsd === undefined ? {} : { globalMonthlyBudgetUsd, globalSpentUsd }),
  });
  if (check.ok) return;
  const now = new Date(input.nowMs);
  const nextMonthMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  throw rateLimited(check.message, nextMonthMs - input.nowMs, 'monthly_budget_exceeded');
}
