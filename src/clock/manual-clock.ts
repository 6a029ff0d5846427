import type { Clock } from './clock.js';

interface PendingSleep {
  wakeAtMs: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told to. `sleep()` resolves once `advance()` (or `set()`) carries the
 * clock past the wake-up time; by default a sleep also advances the clock by itself (`autoAdvance`), so
 * code under test that waits 15 s finishes at once while the clock reads 15 s later.
 */
export class ManualClock implements Clock {
  private currentMs: number;
  private readonly pending: PendingSleep[] = [];
  /** Every duration passed to `sleep()`, in call order: what tests assert waits against. */
  readonly sleepsMs: number[] = [];
  private readonly autoAdvance: boolean;

  /**
   * @param start the initial time (default 2026-01-01T00:00:00Z)
   * @param options.autoAdvance when true (default), `sleep(ms)` moves the clock forward by `ms` itself
   */
  constructor(start: Date | number = Date.UTC(2026, 0, 1), options: { autoAdvance?: boolean } = {}) {
    this.currentMs = typeof start === 'number' ? start : start.getTime();
    this.autoAdvance = options.autoAdvance ?? true;
  }

  nowMs(): number {
    return this.currentMs;
  }

  sleep(durationMs: number, signal?: AbortSignal): Promise<void> {
    this.sleepsMs.push(durationMs);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.autoAdvance) {
      this.advance(Math.max(0, durationMs));
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      // A signal that aborts after this sleep has woken must not touch the queue: splice(-1) would drop
      // another sleeper, which then never wakes.
      const onAbort = () => {
        const index = this.pending.indexOf(entry);
        if (index >= 0) this.pending.splice(index, 1);
        reject(signal?.reason);
      };
      const entry: PendingSleep = {
        wakeAtMs: this.currentMs + Math.max(0, durationMs),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.pending.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves the clock forward and wakes every sleep that is due. */
  advance(durationMs: number): void {
    this.set(this.currentMs + durationMs);
  }

  set(time: Date | number): void {
    this.currentMs = typeof time === 'number' ? time : time.getTime();
    const due = this.pending.filter((sleep) => sleep.wakeAtMs <= this.currentMs);
    for (const sleep of due) {
      this.pending.splice(this.pending.indexOf(sleep), 1);
      sleep.resolve();
    }
  }
}
