/** Durations in scenario files: a number followed by a unit, as in `15s`, `500ms`, `2m`, `1h`, `1.5s`. */
export const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Parses a duration such as `15s`; throws an Error naming the value and the allowed form. */
export function parseDurationMs(text: string): number {
  const match = durationPattern.exec(text.trim());
  if (!match) {
    throw new Error(
      `duration ${JSON.stringify(text)} is not valid; expected a number and a unit (ms, s, m, h), e.g. "15s"`,
    );
  }
  return Math.round(Number(match[1]) * unitMs[match[2] as keyof typeof unitMs]);
}

/**
 * Formats a wait the way Google's `RetryInfo.retryDelay` (a protobuf Duration in JSON) spells it: whole
 * seconds with an `s` suffix. Rounds up so that a client honouring it never comes back too early, and
 * never says `0s`, which clients read as "retry at once".
 */
export function formatRetryDelay(durationMs: number): string {
  return `${retryAfterSeconds(durationMs)}s`;
}

/** Whole seconds for a `Retry-After` header or a `retryDelay`: rounded up, at least 1. */
export function retryAfterSeconds(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs / 1_000));
}
