import type { Budget } from '../api/usage.js';
import { formatUsd } from './format.js';

/** Spend against a monthly budget, as figures and a bar; "no budget" when none is set. */
export function BudgetMeter({ label, budget }: { label: string; budget: Budget }) {
  const share = budget.budget_usd ? Math.min(1, budget.spent_usd / budget.budget_usd) : 0;
  return (
    <div>
      <div className="stat-label">{label}</div>
      <div className="stat">{formatUsd(budget.spent_usd)}</div>
      {budget.budget_usd === null ? (
        <p className="hint">no budget set</p>
      ) : (
        <>
          <div
            className="meter"
            role="meter"
            aria-label={`${label}: share of the budget spent`}
            aria-valuemin={0}
            aria-valuemax={budget.budget_usd}
            aria-valuenow={Math.min(budget.spent_usd, budget.budget_usd)}
            aria-valuetext={`${formatUsd(budget.spent_usd)} of ${formatUsd(budget.budget_usd)}`}
          >
            <span style={{ width: `${share * 100}%` }} />
          </div>
          <p className="hint">
            of {formatUsd(budget.budget_usd)}; {formatUsd(budget.left_usd)} left
          </p>
        </>
      )}
    </div>
  );
}
