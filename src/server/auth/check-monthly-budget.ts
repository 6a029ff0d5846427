import type { ApiKeyRecord } from './api-key-store.js';

export interface MonthlyBudgetCheck {
  /** The key making the request; undefined for keyless requests (only the global budget applies). */
  key: ApiKeyRecord | undefined;
  /** What this key has spent in the current calendar month (UTC), in US dollars. */
  spentThisMonthUsd: number;
  /** The estimated cost of the request, or undefined when the catalog has no price for it. */
  estimatedUsd: number | undefined;
  /** Cap for all keys together. Default: none. */
  globalMonthlyBudgetUsd?: number;
  /** What all keys together have spent this month. Default: 0. */
  globalSpentUsd?: number;
  /** Which price is missing when `estimatedUsd` is undefined, for the message. Default: "the price of this request". */
  missingPrice?: string;
}

/**
 * Whether a request fits the key's and the server's monthly budgets. With a budget set, a request whose
 * cost cannot be estimated is refused (fail closed): a budget that unknown prices can slip past is not a
 * budget.
 */
export function checkMonthlyBudget(
  options: MonthlyBudgetCheck,
): { ok: true } | { ok: false; message: string } {
  const budgets: { label: string; limitUsd: number; spentUsd: number }[] = [];
  if (options.key?.monthlyBudgetUsd !== undefined) {
    budgets.push({
      label: `API key "${options.key.name}" (${options.key.prefix}…)`,
      limitUsd: options.key.monthlyBudgetUsd,
      spentUsd: options.spentThisMonthUsd,
    });
  }
  if (options.globalMonthlyBudgetUsd !== undefined) {
    budgets.push({
      label: 'this server',
      limitUsd: options.globalMonthlyBudgetUsd,
      spentUsd: options.globalSpentUsd ?? 0,
    });
  }
  for (const budget of budgets) {
    const limit = `The monthly budget of ${budget.label} is ${formatUsd(budget.limitUsd)}`;
    if (options.estimatedUsd === undefined) {
      const missing = options.missingPrice ?? 'the price of this request';
      return {
        ok: false,
        message: `${limit}, and the cost of this request cannot be estimated: the catalog does not know ${missing}. Requests of unknown cost are refused while a budget is set.`,
      };
    }
    if (budget.spentUsd + options.estimatedUsd > budget.limitUsd) {
      return {
        ok: false,
        message: `${limit}; ${formatUsd(budget.spentUsd)} is spent this month and this request is estimated at ${formatUsd(options.estimatedUsd)}. The budget renews on the 1st of next month (UTC).`,
      };
    }
  }
  return { ok: true };
}

function formatUsd(amount: number): string {
  return `$${amount.toFixed(amount !== 0 && Math.abs(amount) < 1 ? 4 : 2)}`;
}
