/** Whether one unit was granted, and if not, how long until one will be. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Request-per-minute limits that every instance counts against together: per API key in the server, and
 * per (platform, model) for upstream calls. `LocalRateLimits` counts in this process only (one
 * instance); `RedisRateLimits` counts in Redis, so three instances share one quota instead of each
 * spending all of it.
 */
export interface SharedRateLimits {
  /** Takes one unit from `bucket`, which allows `perMinute` units a minute. */
  take(bucket: string, perMinute: number, nowMs: number): Promise<RateLimitDecision>;
  /** Throws unless the backing service answers (for `/healthz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
