import { systemClock, type Clock } from './clock.js';

/**
 * A clock that reads `startMs` now and then runs at the base clock's pace: a fixed calendar day for
 * lifecycle and dates, with real durations for leases, polls and timeouts. Tests that need real waiting
 * use it so their result never depends on the day they run.
 */
export function clockStartingAt(startMs: number, base: Clock = systemClock): Clock {
  const baseAtStartMs = base.nowMs();
  return {
    nowMs: () => startMs + (base.nowMs() - baseAtStartMs),
    sleep: (durationMs, signal) => base.sleep(durationMs, signal),
  };
}
