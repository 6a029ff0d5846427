import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive transient failures', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000 });
    breaker.recordTransientFailure(0);
    breaker.recordTransientFailure(0);
    expect(breaker.allowsCallAt(0)).toBe(true);
    breaker.recordTransientFailure(100);
    expect(breaker.stateAt(100)).toBe('open');
    expect(breaker.allowsCallAt(5_000)).toBe(false);
    expect(breaker.remainingCooldownMs(5_000)).toBe(5_100);
  });

  it('resets the count on success', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 10_000 });
    breaker.recordTransientFailure(0);
    breaker.recordSuccess();
    breaker.recordTransientFailure(0);
    expect(breaker.stateAt(0)).toBe('closed');
  });

  it('lets one trial call through after the cooldown, and reopens if it fails', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000 });
    breaker.recordTransientFailure(0);
    expect(breaker.stateAt(10_000)).toBe('half-open');
    expect(breaker.allowsCallAt(10_000)).toBe(true);
    expect(breaker.allowsCallAt(10_000)).toBe(false);
    breaker.recordTransientFailure(10_500);
    expect(breaker.stateAt(15_000)).toBe('open');
    expect(breaker.allowsCallAt(20_500)).toBe(true);
    breaker.recordSuccess();
    expect(breaker.stateAt(20_500)).toBe('closed');
  });

  it('tells the next trial time while open, and settles waiters when the trial call ends', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 5_000 });
    expect(breaker.nextTrialAtMs(0)).toBeUndefined();
    expect(breaker.trialInFlightSettles()).toBeUndefined();
    breaker.recordTransientFailure(1_000);
    expect(breaker.nextTrialAtMs(2_000)).toBe(6_000);
    expect(breaker.allowsCallAt(6_000)).toBe(true);
    expect(breaker.nextTrialAtMs(6_000)).toBeUndefined();
    const settles = breaker.trialInFlightSettles();
    expect(settles).toBeInstanceOf(Promise);
    breaker.recordTransientFailure(6_500);
    await settles;
    expect(breaker.trialInFlightSettles()).toBeUndefined();
    expect(breaker.nextTrialAtMs(6_500)).toBe(11_500);
  });
});
