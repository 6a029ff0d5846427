import { formatDays } from './format.js';

/** A model's stage, and the days to its shutdown when one is announced (warning within 90 days). */
export function LifecycleBadge({
  stage,
  daysToShutdown,
}: {
  stage: string | null;
  daysToShutdown: number | null;
}) {
  const label = stage ?? 'unknown';
  return (
    <span className="badge-group">
      <span className={`badge ${label}`}>{label}</span>
      {daysToShutdown !== null && daysToShutdown > 0 && (
        <>
          {' '}
          <span className={`badge ${daysToShutdown <= 90 ? 'warning' : 'ok'}`}>
            {formatDays(daysToShutdown)}
          </span>
        </>
      )}
    </span>
  );
}
