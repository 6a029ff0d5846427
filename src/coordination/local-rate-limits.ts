import { TokenBucket } from '../engine/index.js';
import type { RateLimitDecision, SharedRateLimits } from './shared-rate-limits.js';

/** Token buckets in this process (a minute's burst, refilled continuously), by the caller's clock. */
export class LocalRateLimits implements SharedRateLimits {
  private readonly buckets = new Map<string, { perMinute: number; bucket: TokenBucket }>();

  async take(bucket: string, perMinute: number, nowMs: number): Promise<RateLimitDecision> {
    let entry = this.buckets.get(bucket);
    if (!entry || entry.perMinute !== perMinute) {
      entry = { perMinute, bucket: new TokenBucket(perMinute, nowMs) };
      this.buckets.set(bucket, entry);
    }
    const taken = entry.bucket.tryTake(nowMs);
    return taken.taken ? { allowed: true } : { allowed: false, retryAfterMs: taken.waitMs };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.buckets.clear();
  }
}
