import { describe, expect, it } from 'vitest';
import { clockStartingAt } from './clock-starting-at.js';
import { ManualClock } from './manual-clock.js';

describe('clockStartingAt', () => {
  it('starts at the given instant and moves with the base clock', async () => {
    const base = new ManualClock(Date.UTC(2031, 0, 1));
    const clock = clockStartingAt(Date.UTC(2026, 10, 21), base);
    expect(clock.nowMs()).toBe(Date.UTC(2026, 10, 21));
    await clock.sleep(1_500);
    expect(base.sleepsMs).toEqual([1_500]);
    expect(clock.nowMs()).toBe(Date.UTC(2026, 10, 21) + 1_500);
  });
});
