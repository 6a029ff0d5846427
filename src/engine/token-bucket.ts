/**
 * Requests-per-minute limit on an injected clock. The bucket holds up to `requestsPerMinute` tokens
 * (a full minute's burst) and refills continuously; each call takes one token.
 */
export class TokenBucket {
  private tokens: number;
  private lastRefillMs: number;
  private readonly refillPerMs: number;

  constructor(
    private readonly requestsPerMinute: number,
    nowMs: number,
  ) {
    if (!(requestsPerMinute > 0)) {
      throw new Error(`requestsPerMinute must be a positive number, got ${requestsPerMinute}`);
    }
    this.tokens = requestsPerMinute;
    this.lastRefillMs = nowMs;
    this.refillPerMs = requestsPerMinute / 60_000;
  }

  /** Takes a token if one is available; otherwise says how long until one will be. */
  tryTake(nowMs: number): { taken: true } | { taken: false; waitMs: number } {
    this.refill(nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { taken: true };
    }
    return { taken: false, waitMs: Math.ceil((1 - this.tokens) / this.refillPerMs) };
  }

  private refill(nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - this.lastRefillMs);
    this.tokens = Math.min(this.requestsPerMinute, this.tokens + elapsedMs * this.refillPerMs);
    this.lastRefillMs = nowMs;
  }
}
