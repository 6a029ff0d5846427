import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../clock/index.js';
import { TokenBucket } from '../../engine/index.js';
import { errorResponse, rateLimited, retryAfterHeader } from '../../http/index.js';
import type { AuthEnv } from './auth-middleware.js';

export interface KeyRateLimitOptions {
  clock: Clock;
  /**
   * Requests per minute for keys without their own limit, and for all keyless requests together (one
   * shared bucket). Default: no limit.
   */
  defaultPerMinute?: number;
}

/** The bucket name keyless requests share. */
const ANONYMOUS_BUCKET = '(no key)';

/**
 * A token bucket per API key (a minute's worth of burst, refilled continuously). Over the limit the
 * request is answered 429 `rate_limit_exceeded` with `Retry-After` in whole seconds, rounded up. Runs
 * after the auth middleware.
 */
export function createKeyRateLimitMiddleware(options: KeyRateLimitOptions): MiddlewareHandler<AuthEnv> {
  const buckets = new Map<string, { perMinute: number; bucket: TokenBucket }>();
  return async (c, next) => {
    const key = c.get('apiKey');
    const perMinute = key?.rateLimitPerMinute ?? options.defaultPerMinute;
    if (perMinute === undefined) return next();
    const bucketName = key?.id ?? ANONYMOUS_BUCKET;
    const nowMs = options.clock.nowMs();
    let entry = buckets.get(bucketName);
    if (!entry || entry.perMinute !== perMinute) {
      entry = { perMinute, bucket: new TokenBucket(perMinute, nowMs) };
      buckets.set(bucketName, entry);
    }
    const taken = entry.bucket.tryTake(nowMs);
    if (!taken.taken) {
      const retryAfterSeconds = retryAfterHeader(taken.waitMs)['Retry-After'];
      const who = key ? `API key "${key.name}" (${key.prefix}…)` : 'requests without an API key';
      return errorResponse(
        c,
        rateLimited(
          `Rate limit of ${perMinute} requests per minute reached for ${who}; retry after ${retryAfterSeconds} s.`,
          taken.waitMs,
        ),
      );
    }
    return next();
  };
}
