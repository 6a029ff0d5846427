/** Retry timing for one candidate, from the route's policy. */
export interface BackoffPolicy {
  /** First retry's upper bound before jitter. */
  baseDelayMs: number;
  /** Cap on any single computed backoff. */
  maxDelayMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniform draw in `[0, min(maxDelayMs, baseDelayMs * 2^retryIndex))`.
 * Full jitter spreads clients that failed together, so they do not come back together.
 *
 * @param retryIndex 0 for the first retry, 1 for the second, …
 * @param random a source of uniform numbers in [0, 1)
 */
export function fullJitterDelayMs(retryIndex: number, policy: BackoffPolicy, random: () => number): number {
  const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryIndex));
  return Math.floor(random() * ceilingMs);
}

/**
 * The wait before the next attempt: the server's delay exactly when it gave one (RetryInfo, Retry-After),
 * otherwise full-jitter backoff.
 */
export function retryWaitMs(
  serverDelayMs: number | undefined,
  retryIndex: number,
  policy: BackoffPolicy,
  random: () => number,
): number {
  return serverDelayMs ?? fullJitterDelayMs(retryIndex, policy, random);
}
