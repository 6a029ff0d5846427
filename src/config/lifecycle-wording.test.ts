import { describe, expect, it } from 'vitest';
import type { LifecycleStatus } from '../catalog/index.js';
import { describeLifecycle, isWithinWarningWindow } from './lifecycle-wording.js';

const base: LifecycleStatus = {
  platform: 'gemini-api',
  announcedStage: 'preview',
  stage: 'preview',
  shutdownDate: '2026-06-25',
  daysToShutdown: 12,
  successor: 'model-ga',
  isRetired: false,
};

describe('describeLifecycle', () => {
  it('words an upcoming shutdown with the days left and the successor', () => {
    expect(describeLifecycle('model-preview', base)).toBe(
      'model-preview on gemini-api is a preview and shuts down on 2026-06-25 (in 12 days); successor model-ga',
    );
  });

  it('words a past shutdown', () => {
    expect(
      describeLifecycle('model-preview', { ...base, stage: 'retired', isRetired: true, daysToShutdown: -1 }),
    ).toBe('model-preview on gemini-api was shut down on 2026-06-25; successor model-ga');
  });

  it('words a GA model without an announced date', () => {
    expect(
      describeLifecycle('model-ga', {
        ...base,
        stage: 'ga',
        announcedStage: 'ga',
        shutdownDate: null,
        daysToShutdown: null,
        successor: null,
      }),
    ).toBe('model-ga on gemini-api has no announced shutdown date');
  });
});

describe('isWithinWarningWindow', () => {
  it('is true up to the widest window and false without a date', () => {
    expect(isWithinWarningWindow(90, [7, 90, 30])).toBe(true);
    expect(isWithinWarningWindow(91, [7, 90, 30])).toBe(false);
    expect(isWithinWarningWindow(null, [90])).toBe(false);
  });
});
