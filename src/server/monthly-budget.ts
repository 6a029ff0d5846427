import type { ApiKeyRecord } from './auth/index.js';
import { checkMonthlyBudget } from './auth/index.js';
import { BudgetExceededError, type TaskBudget, type TaskStore } from '../tasks/index.js';
import { monthToDateSpendUsd, startOfUtcMonthMs } from '../tools/cost/index.js';
import { rateLimited, type ApiError } from '../http/index.js';

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
  throw budgetRefusal(check.message, input.nowMs);
}

/** 429 `monthly_budget_exceeded`, retry at the start of next month (UTC, by the injected clock). */
function budgetRefusal(message: string, nowMs: number): ApiError {
  const now = new Date(nowMs);
  const nextMonthMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return rateLimited(message, nextMonthMs - nowMs, 'monthly_budget_exceeded');
}

/**
 * The caps a new task must fit under, reserved by the store in the transaction that creates it (the
 * check in `enforceMonthlyBudget` only refuses early; concurrent submits all pass it). Undefined when
 * no budget applies.
 */
export function monthlyTaskBudget(
  key: ApiKeyRecord | undefined,
  globalMonthlyBudgetUsd: number | undefined,
  nowMs: number,
): TaskBudget | undefined {
  const caps = [
    ...(key?.monthlyBudgetUsd !== undefined ? [{ apiKeyId: key.id, limitUsd: key.monthlyBudgetUsd }] : []),
    ...(globalMonthlyBudgetUsd !== undefined ? [{ limitUsd: globalMonthlyBudgetUsd }] : []),
  ];
  return caps.length > 0 ? { sinceMs: startOfUtcMonthMs(nowMs), caps } : undefined;
}

/** The store's refusal as the same 429 the early check gives, naming the budget, the spend and the estimate. */
export function rethrowBudgetExceeded(error: unknown, key: ApiKeyRecord | undefined, nowMs: number): never {
  if (!(error instanceof BudgetExceededError)) throw error;
  const { cap, spentUsd, estimatedUsd } = error;
  const check = checkMonthlyBudget(
    cap.apiKeyId === undefined
      ? {
          key: undefined,
          spentThisMonthUsd: 0,
          estimatedUsd,
          globalMonthlyBudgetUsd: cap.limitUsd,
          globalSpentUsd: spentUsd,
        }
      : { key, spentThisMonthUsd: spentUsd, estimatedUsd },
  );
  throw budgetRefusal(check.ok ? error.message : check.message, nowMs);
}
