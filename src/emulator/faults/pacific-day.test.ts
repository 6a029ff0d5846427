import { describe, expect, it } from 'vitest';
import { nextPacificMidnightMs, pacificDayKey } from './pacific-day.js';

describe('pacificDayKey', () => {
  it('names the Pacific calendar day, not the UTC one', () => {
    // 05:00 UTC on 26 June is still 25 June in California (UTC-7 in summer).
    expect(pacificDayKey(Date.parse('2026-06-26T05:00:00Z'))).toBe('2026-06-25');
    expect(pacificDayKey(Date.parse('2026-06-26T07:00:00Z'))).toBe('2026-06-26');
  });
});

describe('nextPacificMidnightMs', () => {
  it('finds 07:00 UTC in summer and 08:00 UTC in winter', () => {
    expect(nextPacificMidnightMs(Date.parse('2026-06-26T05:00:00Z'))).toBe(
      Date.parse('2026-06-26T07:00:00Z'),
    );
    expect(nextPacificMidnightMs(Date.parse('2026-01-10T12:34:56Z'))).toBe(
      Date.parse('2026-01-11T08:00:00Z'),
    );
  });

  it('moves to the following day exactly at midnight', () => {
    expect(nextPacificMidnightMs(Date.parse('2026-06-26T07:00:00Z'))).toBe(
      Date.parse('2026-06-27T07:00:00Z'),
    );
  });

  it('handles the days when daylight saving starts and ends', () => {
    // 2026-03-08 is 23 hours long in California, 2026-11-01 is 25 hours long.
    expect(nextPacificMidnightMs(Date.parse('2026-03-08T09:00:00Z'))).toBe(
      Date.parse('2026-03-09T07:00:00Z'),
    );
    expect(nextPacificMidnightMs(Date.parse('2026-11-01T08:00:00Z'))).toBe(
      Date.parse('2026-11-02T08:00:00Z'),
    );
  });
});
