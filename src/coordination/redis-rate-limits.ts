import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RedisConnection, redisConnectionName } from './redis-connection.js';
import type { RateLimitDecision, SharedRateLimits } from './shared-rate-limits.js';

export interface RedisRateLimitsOptions {
  url: string;
  /** Put before every Redis key, so several deployments can share one Redis. Default `imagegate:`. */
  keyPrefix?: string;
}

/**
 * Per-minute limits counted in Redis with `rate-limiter-flexible` (an atomic increment with expiry per
 * bucket and one-minute window), shared by every instance on the same Redis.
 *
 * The window is Redis's own time (key expiry), not the injected clock: the `nowMs` argument is unused
 * here, so these limits cannot be driven by a test clock; tests check counts, never timing. While Redis
 * is unreachable `take` rejects at once instead of queueing (the server reports Redis down and answers
 * 503 until it is back).
 */
export class RedisRateLimits implements SharedRateLimits {
  private readonly connection: RedisConnection;
  private readonly keyPrefix: string;
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(options: RedisRateLimitsOptions) {
    this.keyPrefix = options.keyPrefix ?? 'imagegate:';
    this.connection = new RedisConnection(options.url, redisConnectionName(this.keyPrefix));
  }

  async take(bucket: string, perMinute: number): Promise<RateLimitDecision> {
    await this.connection.ready();
    try {
      await this.limiterFor(perMinute).consume(bucket, 1);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      }
      throw rejection;
    }
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    this.connection.close();
  }

  /** One limiter per limit value: the limit is part of the key, so changing a key's limit starts afresh. */
  private limiterFor(perMinute: number): RateLimiterRedis {
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.connection.redis,
        keyPrefix: `${this.keyPrefix}rpm:${perMinute}`,
        points: perMinute,
        duration: 60,
        rejectIfRedisNotReady: true,
      });
      this.limiters.set(perMinute, limiter);
    }
    return limiter;
  }
}
