/**
 * The calendar day tests run on, whatever the real date: after the 3.1 Flash preview's shutdown on the
 * Gemini API (2026-06-25), before any GA shutdown. Pinned clocks start here (`ManualClock`, or
 * `clockStartingAt` where a test needs real durations).
 */
export const testDayMs = Date.UTC(2026, 10, 21);
