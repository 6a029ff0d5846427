import { systemClock, type Clock } from '../../clock/index.js';
import { bareModelId } from '../../catalog/index.js';
import type { EmulatedMethod } from './call-context.js';

export interface ModelStats {
  calls: number;
  byMethod: Record<string, number>;
  byOutcome: Record<string, number>;
}

export interface StatsSnapshot {
  /** When counting started (creation or last reset), ISO 8601 in the stats clock's time. */
  since: string;
  /** Per model ID; calls without a model (files, batches) are under `(none)`. */
  models: Record<string, ModelStats>;
}

/** The key calls without a model are counted under. */
export const noModelKey = '(none)';

/** Counts the calls an emulator served, per model, method and outcome (`ok`, `429`, `connection-reset`, …). */
export class EmulatorStats {
  private models: Record<string, ModelStats> = {};
  private sinceMs: number;

  /** @param clock the clock `since` is read from (default `systemClock`; the emulator passes its own) */
  constructor(private readonly clock: Clock = systemClock) {
    this.sinceMs = clock.nowMs();
  }

  record(modelId: string | undefined, method: EmulatedMethod, outcome: string): void {
    const key = modelId === undefined ? noModelKey : bareModelId(modelId);
    const stats = (this.models[key] ??= { calls: 0, byMethod: {}, byOutcome: {} });
    stats.calls += 1;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    stats.byOutcome[outcome] = (stats.byOutcome[outcome] ?? 0) + 1;
  }

  /** A copy: later calls do not change a snapshot already taken. */
  snapshot(): StatsSnapshot {
    return { since: new Date(this.sinceMs).toISOString(), models: structuredClone(this.models) };
  }

  reset(): void {
    this.models = {};
    this.sinceMs = this.clock.nowMs();
  }
}
