/** `2026-06-10 12:00:03 UTC` from Unix seconds: UTC, so every reader sees the same instant the same way. */
export function formatTime(unixSeconds: number | null | undefined): string {
  if (unixSeconds === null || unixSeconds === undefined) return '—';
  return `${new Date(unixSeconds * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '—';
  return usd < 1 && usd > 0 ? `$${usd.toFixed(3)}` : `$${usd.toFixed(2)}`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined) return 'no shutdown announced';
  if (days <= 0) return 'retired';
  return days === 1 ? '1 day left' : `${days} days left`;
}

/** `512 bytes`, `13.4 KB`, `2.1 MB`: a small file is never shown as "0 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
