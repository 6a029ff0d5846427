import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { EmulatorClock } from './emulator-clock.js';

const start = Date.parse('2026-01-01T00:00:00Z');
const shutdownDay = Date.parse('2026-06-26T00:00:00Z');

describe('EmulatorClock', () => {
  it('follows the base clock until set', () => {
    const base = new ManualClock(start);
    const clock = new EmulatorClock(base);
    base.advance(5_000);
    expect(clock.nowMs()).toBe(start + 5_000);
    expect(clock.isSet).toBe(false);
  });

  it('keeps ticking from the set instant at the base pace', () => {
    const base = new ManualClock(start);
    const clock = new EmulatorClock(base);
    clock.setNow(shutdownDay);
    base.advance(90_000);
    expect(clock.nowMs()).toBe(shutdownDay + 90_000);
    expect(clock.isSet).toBe(true);
    expect(clock.isFrozen).toBe(false);
  });

  it('stays put when frozen', () => {
    const base = new ManualClock(start);
    const clock = new EmulatorClock(base);
    clock.setNow(shutdownDay, { frozen: true });
    base.advance(90_000);
    expect(clock.nowMs()).toBe(shutdownDay);
    expect(clock.isFrozen).toBe(true);
  });

  it('returns to the base clock on reset', () => {
    const base = new ManualClock(start);
    const clock = new EmulatorClock(base);
    clock.setNow(shutdownDay, { frozen: true });
    clock.reset();
    expect(clock.nowMs()).toBe(start);
  });

  it('sleeps on the base clock', async () => {
    const base = new ManualClock(start);
    const clock = new EmulatorClock(base);
    clock.setNow(shutdownDay);
    await clock.sleep(2_000);
    expect(base.sleepsMs).toEqual([2_000]);
    expect(clock.nowMs()).toBe(shutdownDay + 2_000);
  });

  it('refuses a time that is not a number', () => {
    expect(() => new EmulatorClock(new ManualClock(start)).setNow(Number.NaN)).toThrow(/not a finite number/);
  });
});
