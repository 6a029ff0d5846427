import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../clock/index.js';
import { LocalRateLimits, type SharedRateLimits } from '../../coordination/index.js';
import { errorResponse, rateLimited, retryAfterHeader } from '../../http/index.js';
import type { AuthEnv } from './auth-middleware.js';

export interface KeyRateLimitOptions {
  clock: Clock;
  /**
   * Requests per minute for keys without their own limit, and for all keyless requests together (one
   * shared bucket). Default: no limit.
   */
  defaultPerMinute?: number;
  /** Where requests are counted: Redis to share the limits across instances. Default: this process. */
  limits?: SharedRateLimits;
}

/** The bucket name keyless requests share. */
const ANONYMOUS_BUCKET = '(no key)';

/**
 * A token bucket per API key (a minute's worth of burst, refilled continuously). Over the limit the
 * request is answered 429 `rate_limit_exceeded` with `Retry-After` in whole seconds, rounded up. Runs
 * after the auth middleware.
 */
export function createKeyRateLimitMiddleware(options: KeyRateLimitOptions): MiddlewareHandler<AuthEnv> {
  const limits = options.limits ?? new LocalRateLimits();
  return async (c, next) => {
    const key = c.get('apiKey');
    const perMinute = key?.rateLimitPerMinute ?? options.defaultPerMinute;
    if (perMinute === undefined) return next();
    const bucketName = key?.id ?? ANONYMOUS_BUCKET;
    const taken = await limits.take(`key:${bucketName}`, perMinute, options.clock.nowMs());
    if (!taken.allowed) {
      const retryAfterSeconds = retryAfterHeader(taken.retryAfterMs)['Retry-After'];
      const who = key ? `API key "${key.name}" (${key.prefix}…)` : 'requests without an API key';
      return errorResponse(
        c,
        rateLimited(
          `Rate limit of ${perMinute} requests per minute reached for ${who}; retry after ${retryAfterSeconds} s.`,
          taken.retryAfterMs,
        ),
      );
    }
    return next();
  };
}
