import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { RateLimitDecision, SharedRateLimits } from './shared-rate-limits.js';

export const redisUrlSchema = z
  .string()
  .regex(/^rediss?:\/\/.+/, 'a redis:// or rediss:// URL, e.g. redis://host:6379');

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
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly limiters = new Map<number, RateLimiterRedis>();
  private connecting: Promise<void> | undefined;

  constructor(options: RedisRateLimitsOptions) {
    this.redis = new Redis(redisUrlSchema.parse(options.url), {
      // Fail commands at once while disconnected; ioredis keeps reconnecting in the background.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    this.redis.on('error', () => {
      // Reported through failing commands and `ping`; an unhandled 'error' event would end the process.
    });
    this.keyPrefix = options.keyPrefix ?? 'imagegate:';
  }

  async take(bucket: string, perMinute: number): Promise<RateLimitDecision> {
    await this.connected();
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
    await this.connected();
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /**
   * Waits for the connection while it is being made (at start, or reconnecting); fails at once with the
   * connection's error when it cannot be made, so a caller never queues behind a Redis that is gone.
   */
  private connected(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    // One wait shared by every caller arriving meanwhile.
    this.connecting ??= new Promise<void>((resolve, reject) => {
      const done = (error?: unknown) => {
        this.redis.off('ready', onReady);
        this.redis.off('error', onError);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve();
      };
      const onReady = () => done();
      const onError = (error: unknown) => done(error);
      this.redis.once('ready', onReady);
      this.redis.once('error', onError);
    }).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** One limiter per limit value: the limit is part of the key, so changing a key's limit starts afresh. */
  private limiterFor(perMinute: number): RateLimiterRedis {
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
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
