import { describe, expect, it } from 'vitest';
import { parseRetryAfterHeaderMs, parseRetryDelayMs } from './retry-delay.js';

describe('parseRetryDelayMs', () => {
  it.each([
    ['15s', 15_000],
    ['1.5s', 1_500],
    ['0.250s', 250],
    ['40.123456789s', 40_123],
    ['500ms', 500],
    ['0s', 0],
  ])('reads %s as %d ms', (value, expectedMs) => {
    expect(parseRetryDelayMs(value)).toBe(expectedMs);
  });

  it.each(['', 'soon', '15', '-1s', '15 minutes', '1e3s'])('rejects %j', (value) => {
    expect(parseRetryDelayMs(value)).toBeUndefined();
  });
});

describe('parseRetryAfterHeaderMs', () => {
  const nowMs = Date.UTC(2026, 5, 1, 12, 0, 0);

  it('reads delay-seconds', () => {
    expect(parseRetryAfterHeaderMs('30', nowMs)).toBe(30_000);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfterHeaderMs('Mon, 01 Jun 2026 12:00:20 GMT', nowMs)).toBe(20_000);
  });

  it('treats a past date as no wait and garbage as unknown', () => {
    expect(parseRetryAfterHeaderMs('Mon, 01 Jun 2026 11:00:00 GMT', nowMs)).toBe(0);
    expect(parseRetryAfterHeaderMs('later', nowMs)).toBeUndefined();
  });
});
