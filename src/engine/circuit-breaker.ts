/** Circuit breaker settings. */
export interface CircuitBreakerOptions {
  /** Consecutive transient failures that open the circuit. Default 5. */
  failureThreshold: number;
  /**
   * Time the circuit stays open before one trial call is let through (half-open). Default 5000: at most
   * one probe per 5 s per model during an outage, and work resumes at most 5 s after the model is back.
   */
  cooldownMs: number;
}

export const defaultCircuitBreakerOptions: CircuitBreakerOptions = {
  failureThreshold: 5,
  cooldownMs: 5_000,
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
  /** Settled when the trial call in flight ends either way; calls waiting for its verdict await it. */
  private trialEnded: { promise: Promise<void>; resolve: () => void } | undefined;

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
    let resolve = () => {};
    const promise = new Promise<void>((settle) => (resolve = settle));
    this.trialEnded = { promise, resolve };
    return true;
  }

  /**
   * While the half-open trial call is out: a promise that settles when it ends (then ask again). Undefined
   * when no trial is out, so there is nothing to wait for.
   */
  trialInFlightSettles(): Promise<void> | undefined {
    return this.trialInFlight ? this.trialEnded?.promise : undefined;
  }

  /** Clock time of the next trial call while the circuit is open; undefined when closed or half-open. */
  nextTrialAtMs(nowMs: number): number | undefined {
    if (this.stateAt(nowMs) !== 'open' || this.openedAtMs === undefined) return undefined;
    return this.openedAtMs + this.options.cooldownMs;
  }

  /** Milliseconds until a trial call will be allowed (0 when calls pass now). */
  remainingCooldownMs(nowMs: number): number {
    if (this.openedAtMs === undefined) return 0;
    return Math.max(0, this.openedAtMs + this.options.cooldownMs - nowMs);
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAtMs = undefined;
    this.endTrial();
  }

  recordTransientFailure(nowMs: number): void {
    this.consecutiveFailures += 1;
    const trialFailed = this.trialInFlight;
    if (trialFailed || this.consecutiveFailures >= this.options.failureThreshold) this.openedAtMs = nowMs;
    this.endTrial();
  }

  /** An answer that is neither success nor a transient failure (e.g. a blocked prompt) proves the model is up. */
  recordOtherAnswer(): void {
    this.recordSuccess();
  }

  /** A call that ended without an answer either way (the caller cancelled): a half-open trial may go again. */
  abandonCall(): void {
    this.endTrial();
  }

  private endTrial(): void {
    this.trialInFlight = false;
    const ended = this.trialEnded;
    this.trialEnded = undefined;
    ended?.resolve();
  }
}
