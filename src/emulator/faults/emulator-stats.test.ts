import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { EmulatorStats } from './emulator-stats.js';

describe('EmulatorStats', () => {
  it('counts calls per model, method and outcome', () => {
    const stats = new EmulatorStats(new ManualClock(Date.parse('2026-06-26T00:00:00Z')));
    stats.record('models/gemini-3-pro-image', 'generateContent', 'ok');
    stats.record('gemini-3-pro-image', 'generateContent', '503');
    stats.record('gemini-3-pro-image', 'countTokens', 'ok');
    stats.record(undefined, 'files.upload', 'ok');
    expect(stats.snapshot()).toEqual({
      since: '2026-06-26T00:00:00.000Z',
      models: {
        'gemini-3-pro-image': {
          calls: 3,
          byMethod: { generateContent: 2, countTokens: 1 },
          byOutcome: { ok: 2, '503': 1 },
        },
        '(none)': { calls: 1, byMethod: { 'files.upload': 1 }, byOutcome: { ok: 1 } },
      },
    });
  });

  it('hands out snapshots that later calls do not change', () => {
    const stats = new EmulatorStats(new ManualClock());
    stats.record('m', 'generateContent', 'ok');
    const before = stats.snapshot();
    stats.record('m', 'generateContent', 'ok');
    expect(before.models.m?.calls).toBe(1);
  });

  it('starts over on reset, from the clock time of the reset', () => {
    const clock = new ManualClock(Date.parse('2026-06-26T00:00:00Z'));
    const stats = new EmulatorStats(clock);
    stats.record('m', 'generateContent', 'ok');
    clock.advance(60_000);
    stats.reset();
    expect(stats.snapshot()).toEqual({ since: '2026-06-26T00:01:00.000Z', models: {} });
  });
});
