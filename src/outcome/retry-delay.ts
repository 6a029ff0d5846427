/**
 * Parses a `google.protobuf.Duration` as JSON spells it (`"15s"`, `"1.5s"`, `"0.250s"`), and also the
 * millisecond form some proxies write (`"500ms"`). Returns milliseconds, or `undefined` for anything else.
 */
export function parseRetryDelayMs(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$/.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (!Number.isFinite(amount)) return undefined;
  return Math.round(match[2] === 'ms' ? amount : amount * 1000);
}

/**
 * Parses an HTTP `Retry-After` header: delay-seconds or an HTTP date (relative to `nowMs`). A date in the
 * past means "now" (0).
 */
export function parseRetryAfterHeaderMs(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}
