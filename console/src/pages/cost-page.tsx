import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../api/api-client.js';
import type { CostGroup, UsageCost } from '../api/usage.js';
import { BudgetMeter } from '../components/budget-meter.js';
import { formatUsd } from '../components/format.js';
import { SpendChart } from '../components/spend-chart.js';

export default function CostPage() {
  const [days, setDays] = useState(30);
  const cost = useQuery({
    queryKey: ['usage', 'cost', days],
    queryFn: () => api<UsageCost>(`/v1/usage/cost?days=${days}`),
  });
  const series = useMemo(
    () =>
      cost.data
        ? {
            days: cost.data.by_day.map((day) => day.key),
            actual: cost.data.by_day.map((day) => day.actual_usd),
            estimated: cost.data.by_day.map((day) => day.estimated_usd),
          }
        : undefined,
    [cost.data],
  );
  return (
    <>
      <h1>Cost</h1>
      <form className="row card" aria-label="Window" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="cost-days">Window</label>
          <select id="cost-days" value={days} onChange={(event) => setDays(Number(event.target.value))}>
            <option value={7}>last 7 days</option>
            <option value={30}>last 30 days</option>
            <option value={90}>last 90 days</option>
          </select>
        </div>
        {cost.data && (
          <p className="hint">
            {cost.data.from} to {cost.data.to} (UTC): <strong>{formatUsd(cost.data.total_usd)}</strong> spent
          </p>
        )}
      </form>
      {cost.isPending && <p role="status">Loading…</p>}
      {cost.isError && (
        <p role="alert" className="error">
          {cost.error.message}
        </p>
      )}
      {cost.data && series && (
        <>
          <section aria-labelledby="budgets-heading">
            <h2 id="budgets-heading">Budgets this month (since {cost.data.month.from})</h2>
            <div className="row card" style={{ alignItems: 'flex-start', gap: '3rem' }}>
              <BudgetMeter label="This key" budget={cost.data.month.key} />
              <BudgetMeter label="Whole server" budget={cost.data.month.server} />
            </div>
          </section>
          <section aria-labelledby="daily-heading">
            <h2 id="daily-heading">Spend per day</h2>
            <SpendChart days={series.days} actual={series.actual} estimated={series.estimated} />
          </section>
          <div className="grid" style={{ marginTop: '1rem' }}>
            <CostTable title="By served model" groups={cost.data.by_model} />
            <CostTable title="By logical name" groups={cost.data.by_logical_name} />
            <CostTable
              title="By key"
              groups={cost.data.by_key.map((group) => ({
                ...group,
                key: group.name ? `${group.name} (${group.key})` : group.key,
              }))}
            />
          </div>
          <details>
            <summary>Spend per day as a table</summary>
            <CostTable title="By day" groups={cost.data.by_day.filter((day) => day.tasks > 0)} />
          </details>
        </>
      )}
    </>
  );
}

function CostTable({ title, groups }: { title: string; groups: CostGroup[] }) {
  return (
    <section className="card" aria-label={title}>
      <h3>{title}</h3>
      {groups.length === 0 ? (
        <p className="muted">Nothing in this window.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Tasks
              </th>
              <th scope="col" className="num">
                Estimated
              </th>
              <th scope="col" className="num">
                Actual
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <tr key={group.key}>
                <th scope="row">{group.key}</th>
                <td className="num">{group.tasks}</td>
                <td className="num">{formatUsd(group.estimated_usd)}</td>
                <td className="num">{formatUsd(group.actual_usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
