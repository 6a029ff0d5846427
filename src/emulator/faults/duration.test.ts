import { describe, expect, it } from 'vitest';
import { formatRetryDelay, parseDurationMs, retryAfterSeconds } from './duration.js';

describe('parseDurationMs', () => {
  it('reads every unit', () => {
    expect(parseDurationMs('15s')).toBe(15_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('1.5s')).toBe(1_500);
  });

  it('rejects a bare number or an unknown unit, naming the value', () => {
    expect(() => parseDurationMs('15')).toThrow(/duration "15" is not valid; expected a number and a unit/);
    expect(() => parseDurationMs('3d')).toThrow(/"3d"/);
  });
});

describe('formatRetryDelay', () => {
  it('rounds up to whole seconds and never says 0s', () => {
    expect(formatRetryDelay(15_000)).toBe('15s');
    expect(formatRetryDelay(14_001)).toBe('15s');
    expect(formatRetryDelay(0)).toBe('1s');
    expect(retryAfterSeconds(59_999)).toBe(60);
  });
});
