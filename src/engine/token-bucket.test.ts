import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst of one minute of requests, then spaces them', () => {
    const bucket = new TokenBucket(2, 0);
    expect(bucket.tryTake(0)).toEqual({ taken: true });
    expect(bucket.tryTake(0)).toEqual({ taken: true });
    expect(bucket.tryTake(0)).toEqual({ taken: false, waitMs: 30_000 });
    expect(bucket.tryTake(10_000)).toEqual({ taken: false, waitMs: 20_000 });
    expect(bucket.tryTake(30_000)).toEqual({ taken: true });
  });

  it('never stores more than a minute of tokens', () => {
    const bucket = new TokenBucket(1, 0);
    bucket.tryTake(0);
    expect(bucket.tryTake(600_000)).toEqual({ taken: true });
    expect(bucket.tryTake(600_000).taken).toBe(false);
  });

  it('refuses a non-positive rate, naming the field', () => {
    expect(() => new TokenBucket(0, 0)).toThrow('requestsPerMinute must be a positive number, got 0');
  });
});
