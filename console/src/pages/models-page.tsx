import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, queryString } from '../api/api-client.js';
import { calendarRows, type LifecycleCalendar as Calendar } from '../api/lifecycle.js';
import { formatDays } from '../components/format.js';
import { LifecycleCalendar } from '../components/lifecycle-calendar.js';

const platformNames: Record<string, string> = { 'gemini-api': 'Gemini API', 'vertex-ai': 'Vertex AI' };

export default function ModelsPage() {
  const [search, setSearch] = useSearchParams();
  const at = search.get('at') ?? '';
  const calendar = useQuery({
    queryKey: ['lifecycle', at],
    queryFn: () => api<Calendar>(`/v1/lifecycle${queryString({ at })}`),
  });
  const setAt = (value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set('at', value);
    else next.delete('at');
    setSearch(next, { replace: true });
  };
  if (calendar.isPending) return <p role="status">Loading models…</p>;
  if (calendar.isError)
    return (
      <p role="alert" className="error">
        {calendar.error.message}
      </p>
    );
  const data = calendar.data;
  const rows = calendarRows(data);
  const byPlatform = Object.keys(platformNames).map((platform) => ({
    platform,
    rows: rows.filter((row) => row.platform === platform),
  }));

  return (
    <>
      <h1>Models and lifecycle</h1>
      <form className="row card" aria-label="Judge on a date" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="lifecycle-at">Show the lifecycle on (UTC)</label>
          <input
            id="lifecycle-at"
            type="date"
            value={at || data.today}
            onChange={(event) => setAt(event.target.value)}
          />
        </div>
        <p className="hint">
          Today on the server is <strong data-testid="server-today">{data.today}</strong>
          {at && at !== data.today ? `; showing ${data.at}.` : '.'}
        </p>
        {at && (
          <button type="button" className="secondary" onClick={() => setAt('')}>
            Back to today
          </button>
        )}
      </form>
      <h2>Calendar</h2>
      <div className="legend" aria-hidden="true">
        <span className="l-experimental">experimental</span>
        <span className="l-preview">preview</span>
        <span className="l-ga">GA</span>
        <span className="l-unknown">stage or dates unknown</span>
        <span className="l-shutdown">shutdown</span>
        <span className="l-today">today</span>
      </div>
      <LifecycleCalendar rows={rows} today={data.today} at={data.at} />
      <h2>Guard report on {data.at}</h2>
      <p>
        Worst: <span className={`badge ${data.guard.worst}`}>{data.guard.worst}</span>
      </p>
      <ul className="guard">
        {[...data.guard.findings]
          .sort((a, b) => levelRank(b.level) - levelRank(a.level))
          .map((finding) => (
            <li key={`${finding.model}|${finding.platform}`}>
              <span className={`badge ${finding.level}`}>{finding.level}</span> {finding.message}
            </li>
          ))}
      </ul>
      {byPlatform.map(({ platform, rows: platformRows }) => (
        <section key={platform} aria-labelledby={`catalog-${platform}`}>
          <h2 id={`catalog-${platform}`}>Catalog on {platformNames[platform]}</h2>
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={`Catalog on ${platformNames[platform]}`}
          >
            <table>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Stage on {data.at}</th>
                  <th scope="col">Release</th>
                  <th scope="col">GA</th>
                  <th scope="col">Shutdown</th>
                  <th scope="col">Days left</th>
                  <th scope="col">Successor</th>
                  <th scope="col">Routes</th>
                </tr>
              </thead>
              <tbody>
                {platformRows.map((row) => (
                  <tr key={row.model}>
                    <th scope="row">{row.model}</th>
                    <td>
                      <span className={`badge ${row.stage ?? 'unknown'}`}>{row.stage ?? 'unknown'}</span>
                    </td>
                    <td className="nowrap">{row.release_date ?? '—'}</td>
                    <td className="nowrap">{row.ga_date ?? '—'}</td>
                    <td className="nowrap">{row.shutdown_date ?? '—'}</td>
                    <td>{row.shutdown_date ? formatDays(row.days_to_shutdown) : '—'}</td>
                    <td>{row.successor ?? '—'}</td>
                    <td>{row.usedBy.join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}

function levelRank(level: string): number {
  return level === 'error' ? 2 : level === 'warning' ? 1 : 0;
}
