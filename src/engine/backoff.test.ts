import { describe, expect, it } from 'vitest';
import { fullJitterDelayMs, retryWaitMs } from './backoff.js';

const policy = { baseDelayMs: 1_000, maxDelayMs: 8_000 };

describe('fullJitterDelayMs', () => {
  it('doubles the ceiling per retry and caps it', () => {
    const top = () => 0.999_999;
    expect(fullJitterDelayMs(0, policy, top)).toBe(999);
    expect(fullJitterDelayMs(1, policy, top)).toBe(1_999);
    expect(fullJitterDelayMs(2, policy, top)).toBe(3_999);
    expect(fullJitterDelayMs(3, policy, top)).toBe(7_999);
    expect(fullJitterDelayMs(10, policy, top)).toBe(7_999);
  });

  it('draws uniformly below the ceiling', () => {
    expect(fullJitterDelayMs(2, policy, () => 0)).toBe(0);
    expect(fullJitterDelayMs(2, policy, () => 0.5)).toBe(2_000);
  });
});

describe('retryWaitMs', () => {
  it('honours the server delay exactly, even above the backoff cap', () => {
    expect(retryWaitMs(15_000, 0, policy, () => 0.5)).toBe(15_000);
    expect(retryWaitMs(0, 3, policy, () => 0.5)).toBe(0);
  });

  it('falls back to jittered backoff without a server delay', () => {
    expect(retryWaitMs(undefined, 1, policy, () => 0.25)).toBe(500);
  });
});
