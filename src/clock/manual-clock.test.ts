import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('advances by itself on sleep and records the wait', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    await clock.sleep(15_000);
    expect(clock.nowMs()).toBe(Date.UTC(2026, 5, 1) + 15_000);
    expect(clock.sleepsMs).toEqual([15_000]);
  });

  it('holds sleeps until advanced when autoAdvance is off', async () => {
    const clock = new ManualClock(0, { autoAdvance: false });
    let woke = false;
    const sleeping = clock.sleep(1_000).then(() => (woke = true));
    clock.advance(999);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = new ManualClock(0, { autoAdvance: false });
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });

  it('an abort after a sleep has woken leaves other sleeps alone', async () => {
    const clock = new ManualClock(0, { autoAdvance: false });
    const controller = new AbortController();
    const first = clock.sleep(1_000, controller.signal);
    clock.advance(1_000);
    await first;
    let otherWoke = false;
    const other = clock.sleep(500).then(() => (otherWoke = true));
    controller.abort(new Error('stop'));
    clock.advance(500);
    await other;
    expect(otherWoke).toBe(true);
  });
});
