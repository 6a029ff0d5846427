/** Milliseconds as people read them: `850 ms`, `12.4 s`; a dash when unknown. */
export function formatDurationMs(milliseconds: number | null): string {
  if (milliseconds === null) return '–';
  return milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(1)} s` : `${Math.round(milliseconds)} ms`;
}

/** US dollars with four decimals (image prices are cents); a dash when unknown. */
export function formatUsd(amount: number | null): string {
  return amount === null ? '–' : `$${amount.toFixed(4)}`;
}
