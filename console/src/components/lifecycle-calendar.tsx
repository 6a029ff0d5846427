import type { CalendarRow } from '../api/lifecycle.js';

const DAY_MS = 86_400_000;
const LABEL_WIDTH = 350;
const ROUTES_WIDTH = 230;
const CHART_WIDTH = 660;
const ROW_HEIGHT = 30;
const TOP = 60;

const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Release, GA and shutdown of every (model, platform) as bars on one time axis, with today's marker and
 * the asked day's; the routes using a line are named beside it. The table after it holds the same facts.
 */
export function LifecycleCalendar({ rows, today, at }: { rows: CalendarRow[]; today: string; at: string }) {
  const known = rows
    .flatMap((row) => [row.release_date, row.ga_date, row.shutdown_date])
    .filter((d): d is string => !!d);
  const points = [...known.map(dayMs), dayMs(today), dayMs(at)];
  const start = Math.min(...points) - 30 * DAY_MS;
  const end = Math.max(...points, dayMs(today) + 120 * DAY_MS) + 30 * DAY_MS;
  const x = (ms: number) => LABEL_WIDTH + ((ms - start) / (end - start)) * CHART_WIDTH;
  const height = TOP + rows.length * ROW_HEIGHT + 10;
  const months: number[] = [];
  const first = new Date(start);
  for (let month = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1); month < end;) {
    months.push(month);
    const date = new Date(month);
    month = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  const marker = (day: string, label: string, className: string, labelY: number) => (
    <g className={className}>
      <line x1={x(dayMs(day))} x2={x(dayMs(day))} y1={labelY + 4} y2={height - 6} />
      <text x={x(dayMs(day)) + 4} y={labelY}>
        {label} {day}
      </text>
    </g>
  );

  return (
    <div className="calendar" tabIndex={0} role="region" aria-label="Lifecycle calendar (scrolls sideways)">
      <svg
        width={LABEL_WIDTH + CHART_WIDTH + 90 + ROUTES_WIDTH}
        height={height}
        role="img"
        aria-label={`Lifecycle calendar on ${at}: release, GA and shutdown dates of ${rows.length} model and platform pairs; the table below lists the same dates.`}
        data-testid="lifecycle-calendar"
      >
        <g className="axis">
          {months.map((month) => (
            <g key={month}>
              <line x1={x(month)} x2={x(month)} y1={TOP - 4} y2={height - 6} className="grid-line" />
              {new Date(month).getUTCMonth() % 3 === 0 && (
                <text x={x(month) + 2} y={TOP - 4}>
                  {isoDay(month).slice(0, 7)}
                </text>
              )}
            </g>
          ))}
        </g>
        {rows.map((row, index) => {
          const y = TOP + index * ROW_HEIGHT;
          const release = row.release_date ? dayMs(row.release_date) : start;
          const shutdown = row.shutdown_date ? dayMs(row.shutdown_date) : end;
          const ga = row.ga_date ? dayMs(row.ga_date) : undefined;
          const previewEnd = ga ?? (row.stage === 'ga' ? release : shutdown);
          return (
            <g key={`${row.model}|${row.platform}`} data-row={`${row.model}|${row.platform}`}>
              <text x={6} y={y + 19}>
                {row.model} · {row.platform === 'gemini-api' ? 'Gemini API' : 'Vertex AI'}
              </text>
              {row.usedBy.length > 0 && (
                <text x={LABEL_WIDTH + CHART_WIDTH + 90} y={y + 19} className="route-label">
                  {row.usedBy.join(', ')}
                </text>
              )}
              {previewEnd > release && (
                <rect
                  x={x(release)}
                  y={y + 6}
                  width={Math.max(2, x(previewEnd) - x(release))}
                  height={ROW_HEIGHT - 12}
                  className={
                    row.stage === null
                      ? 'bar-unknown'
                      : row.stage === 'experimental'
                        ? 'bar-experimental'
                        : 'bar-preview'
                  }
                />
              )}
              {shutdown > previewEnd && (ga !== undefined || row.stage === 'ga') && (
                <rect
                  x={x(Math.max(previewEnd, release))}
                  y={y + 6}
                  width={Math.max(2, x(shutdown) - x(Math.max(previewEnd, release)))}
                  height={ROW_HEIGHT - 12}
                  className="bar-ga"
                />
              )}
              {row.shutdown_date && (
                <g className="shutdown">
                  <line x1={x(shutdown)} x2={x(shutdown)} y1={y + 3} y2={y + ROW_HEIGHT - 3} />
                  <text x={x(shutdown) + 4} y={y + 19}>
                    {row.shutdown_date}
                  </text>
                </g>
              )}
            </g>
          );
        })}
        <text x={LABEL_WIDTH + CHART_WIDTH + 90} y={TOP - 4} className="axis-title">
          routes (candidate #)
        </text>
        {marker(today, 'today', 'today-marker', TOP - 40)}
        {at !== today && marker(at, 'at', 'at-marker', TOP - 22)}
      </svg>
    </div>
  );
}
