import { describe, expect, it } from 'vitest';

/**
 * `.ci/run` runs the suite a second time under libfaketime with the wall clock a year ahead, and passes
 * the real time it started at. This checks that the shift really reached the worker running the tests
 * (a fork or a thread), so a green year-ahead run means what it says.
 */
const realStartMs = process.env.IMAGEGATE_REAL_NOW_MS;
const dayMs = 86_400_000;

describe.runIf(realStartMs !== undefined)('the year-ahead run', () => {
  it('sees the wall clock about a year ahead of the real time in this worker', () => {
    const aheadDays = Math.round((Date.now() - Number(realStartMs)) / dayMs);
    expect(aheadDays).toBeGreaterThanOrEqual(364);
    expect(aheadDays).toBeLessThanOrEqual(366);
  });
});
