/** Circuit breaker settings. */
export interface CircuitBreakerOptions {
  /** Consecutive transient failures that open the circuit. Default 5. */
  failureThreshold: number;
  /** Time the circuit stays open before one trial call is let through (half-open). Default 30000. */
  cooldownMs: number;
}

export const defaultCircuitBreakerOptions: CircuitBreakerOptions = {
  failureThreshold: 5,
  cooldownMs: 30_000,
};

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A breaker for one (platform, model). Closed: calls pass. After `failureThreshold` consecutive transient
 * failures it opens: calls are refused without reaching the model until `cooldownMs` of clock time has
 * passed. Then it is half-open: one trial call passes; success closes it, failure opens it again.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAtMs: number | undefined;
  private trialInFlight = false;

  constructor(private readonly options: CircuitBreakerOptions = defaultCircuitBreakerOptions) {}

  stateAt(nowMs: number): CircuitState {
    if (this.openedAtMs === undefined) return 'closed';
    return nowMs - this.openedAtMs >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go out now; in half-open state only one trial call is allowed. */
  allowsCallAt(nowMs: number): boolean {
    const state = this.stateAt(nowMs);
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** Milliseconds until a trial call will be allowed (0 when calls pass now). */
  remainingCooldownMs(nowMs: number): number {
    if (this.openedAtMs === undefined) return 0;
    return Math.max(0, this.openedAtMs + this.options.cooldownMs - nowMs);
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAtMs = undefined;
    this.trialInFlight = false;
  }

  recordTransientFailure(nowMs: number): void {
    this.consecutiveFailures += 1;
    const trialFailed = this.trialInFlight;
    this.trialInFlight = false;
    if (trialFailed || this.consecutiveFailures >= this.options.failureThreshold) this.openedAtMs = nowMs;
  }

  /** An answer that is neither success nor a transient failure (e.g. a blocked prompt) proves the model is up. */
  recordOtherAnswer(): void {
    this.recordSuccess();
  }

  /** A call that ended without an answer either way (the caller cancelled): a half-open trial may go again. */
  abandonCall(): void {
    this.trialInFlight = false;
  }
}
