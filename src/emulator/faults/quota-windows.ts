import { nextPacificMidnightMs, pacificDayKey } from './pacific-day.js';
import type { QuotaWindow } from './scenario-schema.js';

const MINUTE_MS = 60_000;

export interface QuotaLimits {
  /** Requests per sliding 60 s window. */
  rpm?: number;
  /** Requests per Pacific day. */
  rpd?: number;
}

export interface QuotaRefusal {
  window: QuotaWindow;
  limit: number;
  /** How long until the window has room for one more request. */
  retryAfterMs: number;
}

interface Usage {
  /** Accepted requests of the last minute, oldest first. */
  recentMs: number[];
  dayKey: string;
  dayCount: number;
}

/**
 * Request counters per quota key, in emulated time: a sliding 60-second window for requests per minute
 * and a Pacific calendar day for requests per day. Only accepted requests count, as with the real API.
 */
export class QuotaWindows {
  private readonly usage = new Map<string, Usage>();

  /** Why a request now would exceed the limits, or `undefined` if it fits. A spent day is reported first. */
  check(key: string, limits: QuotaLimits, nowMs: number): QuotaRefusal | undefined {
    const usage = this.current(key, nowMs);
    if (limits.rpd !== undefined && usage.dayCount >= limits.rpd) {
      return { window: 'per-day', limit: limits.rpd, retryAfterMs: nextPacificMidnightMs(nowMs) - nowMs };
    }
    if (limits.rpm !== undefined && usage.recentMs.length >= limits.rpm) {
      const freedByMs = usage.recentMs[usage.recentMs.length - limits.rpm]! + MINUTE_MS;
      return { window: 'per-minute', limit: limits.rpm, retryAfterMs: freedByMs - nowMs };
    }
    return undefined;
  }

  record(key: string, nowMs: number): void {
    const usage = this.current(key, nowMs);
    usage.recentMs.push(nowMs);
    usage.dayCount += 1;
  }

  reset(): void {
    this.usage.clear();
  }

  /** The usage of a key with expired requests dropped; a clock set backwards starts the windows afresh. */
  private current(key: string, nowMs: number): Usage {
    const dayKey = pacificDayKey(nowMs);
    const usage = this.usage.get(key) ?? { recentMs: [], dayKey, dayCount: 0 };
    usage.recentMs = usage.recentMs.filter((atMs) => atMs > nowMs - MINUTE_MS && atMs <= nowMs);
    if (usage.dayKey !== dayKey) {
      usage.dayKey = dayKey;
      usage.dayCount = 0;
    }
    this.usage.set(key, usage);
    return usage;
  }
}
