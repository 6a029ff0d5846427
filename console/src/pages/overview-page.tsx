import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import { taskStatuses } from '../api/types.js';
import type { UsageOverview } from '../api/usage.js';
import { useLiveTasks } from '../api/use-live-tasks.js';
import { BudgetMeter } from '../components/budget-meter.js';
import { formatDays, formatTime } from '../components/format.js';
import { StatusBadge } from '../components/status-badge.js';

export default function OverviewPage() {
  useLiveTasks();
  const overview = useQuery({
    queryKey: ['usage', 'overview'],
    queryFn: () => api<UsageOverview>('/v1/usage/overview'),
    refetchInterval: 15_000,
  });
  return (
    <>
      <h1>Overview</h1>
      {overview.isPending && <p role="status">Loading…</p>}
      {overview.isError && (
        <p role="alert" className="error">
          {overview.error.message}
        </p>
      )}
      {overview.data && <OverviewBody data={overview.data} />}
    </>
  );
}

function OverviewBody({ data }: { data: UsageOverview }) {
  const errorRate = data.last_hour.error_rate;
  return (
    <>
      <section aria-labelledby="queue-heading">
        <h2 id="queue-heading">Tasks by status</h2>
        <div className="grid status-grid">
          {taskStatuses.map((status) => (
            <Link
              key={status}
              to={`/tasks?status=${status}`}
              className="card stat-card"
              data-testid={`count-${status}`}
            >
              <div className="stat">{data.tasks_by_status[status] ?? 0}</div>
              <StatusBadge status={status} />
            </Link>
          ))}
        </div>
      </section>
      <div className="grid" style={{ marginTop: '1rem' }}>
        <section className="card" aria-labelledby="hour-heading">
          <h2 id="hour-heading">Last hour</h2>
          <div className="stat">{data.last_hour.finished}</div>
          <div className="stat-label">tasks finished ({data.last_hour.per_minute.toFixed(2)} per minute)</div>
          <p>
            {data.last_hour.succeeded} succeeded, {data.last_hour.failed} failed; error rate{' '}
            <strong>{errorRate === null ? '—' : `${(errorRate * 100).toFixed(1)}%`}</strong>
          </p>
        </section>
        <section className="card" aria-labelledby="month-heading">
          <h2 id="month-heading">Spend this month (since {data.month.from})</h2>
          <div className="row" style={{ alignItems: 'flex-start', gap: '2rem' }}>
            <BudgetMeter label="This key" budget={data.month.key} />
            <BudgetMeter label="Whole server" budget={data.month.server} />
          </div>
        </section>
      </div>
      <section aria-labelledby="models-heading">
        <h2 id="models-heading">Models in use (last 24 hours)</h2>
        {data.models_in_use.length === 0 ? (
          <p className="muted">No task was served in the last 24 hours.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Platform</th>
                <th scope="col" className="num">
                  Tasks
                </th>
                <th scope="col">Stage</th>
                <th scope="col">Shutdown</th>
              </tr>
            </thead>
            <tbody>
              {data.models_in_use.map((model) => (
                <tr key={`${model.model}|${model.platform}`}>
                  <th scope="row">{model.model}</th>
                  <td>{model.platform}</td>
                  <td className="num">{model.tasks}</td>
                  <td>
                    <span className={`badge ${model.stage ?? 'unknown'}`}>{model.stage ?? 'unknown'}</span>
                  </td>
                  <td>
                    {model.shutdown_date ? (
                      <span className={`badge ${(model.days_to_shutdown ?? 999) <= 90 ? 'warning' : 'ok'}`}>
                        {model.shutdown_date}: {formatDays(model.days_to_shutdown)}
                      </span>
                    ) : (
                      'none announced'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="failures-heading">
        <h2 id="failures-heading">Recent failures</h2>
        {data.recent_failures.length === 0 ? (
          <p className="muted">No failed tasks.</p>
        ) : (
          <ul>
            {data.recent_failures.map((failure) => (
              <li key={failure.id}>
                <Link to={`/tasks/${failure.id}`}>{failure.id}</Link> ({failure.model},{' '}
                {formatTime(failure.finished_at)}):{' '}
                {failure.error ? `${failure.error.type}: ${failure.error.message}` : 'failed'}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
