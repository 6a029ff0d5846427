import { systemClock, type Clock } from '../../clock/index.js';

interface ClockOverride {
  /** The emulated instant that was set. */
  setAtMs: number;
  /** The base clock's reading when it was set, to keep ticking from there. */
  baseAtSetMs: number;
  frozen: boolean;
}

/**
 * The emulator's "now": the base clock by default, settable (scenario `clock.now`, control endpoint) so
 * that a demo can jump to the day after a model's shutdown. Once set it keeps ticking from the set instant
 * at the base clock's pace, or stays put when frozen.
 */
export class EmulatorClock implements Clock {
  private override: ClockOverride | undefined;

  /** @param base the clock that paces the emulated one (default `systemClock`) */
  constructor(private readonly base: Clock = systemClock) {}

  nowMs(): number {
    if (!this.override) return this.base.nowMs();
    if (this.override.frozen) return this.override.setAtMs;
    return this.override.setAtMs + (this.base.nowMs() - this.override.baseAtSetMs);
  }

  /** Waits on the base clock: emulated latency takes real (or test-clock) time even when frozen. */
  sleep(durationMs: number, signal?: AbortSignal): Promise<void> {
    return this.base.sleep(durationMs, signal);
  }

  /** @param options.frozen when true the clock stays at `atMs` until set again (default false) */
  setNow(atMs: number, options: { frozen?: boolean } = {}): void {
    if (!Number.isFinite(atMs)) throw new Error(`clock time ${atMs} is not a finite number of milliseconds`);
    this.override = { setAtMs: atMs, baseAtSetMs: this.base.nowMs(), frozen: options.frozen ?? false };
  }

  /** Back to the base clock's time. */
  reset(): void {
    this.override = undefined;
  }

  /** Whether the time was set (by a scenario or the control API) rather than following the base clock. */
  get isSet(): boolean {
    return this.override !== undefined;
  }

  get isFrozen(): boolean {
    return this.override?.frozen ?? false;
  }
}
