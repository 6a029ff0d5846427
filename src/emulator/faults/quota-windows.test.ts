import { describe, expect, it } from 'vitest';
import { QuotaWindows } from './quota-windows.js';

const start = Date.parse('2026-06-26T10:00:00Z');

function accept(windows: QuotaWindows, key: string, limits: { rpm?: number; rpd?: number }, atMs: number) {
  const refusal = windows.check(key, limits, atMs);
  if (!refusal) windows.record(key, atMs);
  return refusal;
}

describe('QuotaWindows', () => {
  it('refuses the request over the per-minute limit until the oldest one leaves the window', () => {
    const windows = new QuotaWindows();
    expect(accept(windows, 'm', { rpm: 2 }, start)).toBeUndefined();
    expect(accept(windows, 'm', { rpm: 2 }, start + 20_000)).toBeUndefined();
    expect(accept(windows, 'm', { rpm: 2 }, start + 30_000)).toEqual({
      window: 'per-minute',
      limit: 2,
      retryAfterMs: 30_000,
    });
    expect(accept(windows, 'm', { rpm: 2 }, start + 60_000)).toBeUndefined();
    expect(accept(windows, 'm', { rpm: 2 }, start + 61_000)).toMatchObject({ retryAfterMs: 19_000 });
  });

  it('keeps separate counts per key', () => {
    const windows = new QuotaWindows();
    accept(windows, 'a', { rpm: 1 }, start);
    expect(accept(windows, 'b', { rpm: 1 }, start)).toBeUndefined();
    expect(accept(windows, 'a', { rpm: 1 }, start)).toMatchObject({ window: 'per-minute' });
  });

  it('counts per Pacific day and frees the day at midnight Pacific', () => {
    const windows = new QuotaWindows();
    accept(windows, 'm', { rpd: 2 }, start);
    accept(windows, 'm', { rpd: 2 }, start + 3_600_000);
    // 10:00 UTC is 03:00 in California; the day ends at 07:00 UTC the next day.
    expect(accept(windows, 'm', { rpd: 2 }, start + 7_200_000)).toEqual({
      window: 'per-day',
      limit: 2,
      retryAfterMs: Date.parse('2026-06-27T07:00:00Z') - (start + 7_200_000),
    });
    expect(accept(windows, 'm', { rpd: 2 }, Date.parse('2026-06-27T07:00:00Z'))).toBeUndefined();
  });

  it('reports a spent day before a full minute', () => {
    const windows = new QuotaWindows();
    accept(windows, 'm', { rpm: 1, rpd: 1 }, start);
    expect(windows.check('m', { rpm: 1, rpd: 1 }, start)).toMatchObject({ window: 'per-day' });
  });

  it('forgets everything on reset', () => {
    const windows = new QuotaWindows();
    accept(windows, 'm', { rpm: 1 }, start);
    windows.reset();
    expect(accept(windows, 'm', { rpm: 1 }, start)).toBeUndefined();
  });
});
