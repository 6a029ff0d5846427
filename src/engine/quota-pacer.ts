import type { Outcome } from '../outcome/index.js';

/** The window a per-minute quota counts over. */
export const quotaWindowMs = 60_000;

/**
 * The longest a request is assumed to take to reach the server: a slot is dated from the answer, but no
 * later than this after the send, so a model that takes seconds to draw does not cost its drawing time
 * in every window.
 */
export const maxArrivalDelayMs = 2_000;

/**
 * Paces calls to one (platform, model) so they fit its per-minute quota: at most `limit` calls in any
 * window of a minute, the way Gemini's quota and the emulator count them. A token bucket that refills
 * continuously lets a minute's burst be followed at once by more calls, which a sliding window refuses;
 * this pacer never does. A call holds its slot from when it is sent; once answered, the slot is dated
 * from the answer (at most `maxArrivalDelayMs` after the send): the server counted it on arrival,
 * somewhere in between, and dating it from the send lets the next call arrive early when two requests'
 * network delays differ (they do, by hundreds of milliseconds on a busy machine).
 *
 * The limit comes from the config (`requestsPerMinute`) and from the 429s themselves: a `QuotaFailure`
 * naming a per-minute quota lowers the limit to its `quotaValue`, and a `RetryInfo` delay holds every call
 * of the model until it has passed, not only the retry of the run that saw it. Calls refused with 429 or
 * 503 hand their slot back: the server did not count them.
 */
export class QuotaPacer {
  /** When the calls of the last window that count were sent (or answered), oldest first. */
  private readonly startsMs: number[] = [];
  private heldUntilMs = 0;

  constructor(private limit: number | undefined) {
    if (limit !== undefined && !(limit > 0)) {
      throw new Error(`requestsPerMinute must be a positive number, got ${limit}`);
    }
  }

  /** The calls per minute this pacer allows now (configured or learned); undefined when unlimited. */
  get requestsPerMinute(): number | undefined {
    return this.limit;
  }

  /** Takes a slot for a call starting now, or says how long until one is free. */
  tryTake(nowMs: number): { taken: true; slotMs: number } | { taken: false; waitMs: number } {
    if (nowMs < this.heldUntilMs) return { taken: false, waitMs: this.heldUntilMs - nowMs };
    this.forget(nowMs);
    if (this.limit !== undefined && this.startsMs.length >= this.limit) {
      const freedAtMs = this.startsMs[this.startsMs.length - this.limit]! + quotaWindowMs;
      return { taken: false, waitMs: Math.max(1, freedAtMs - nowMs) };
    }
    this.startsMs.push(nowMs);
    return { taken: true, slotMs: nowMs };
  }

  /** Dates a taken slot from the call's answer (see the class comment). */
  answered(slotMs: number, answeredAtMs: number): void {
    this.release(slotMs);
    const datedMs = Math.min(answeredAtMs, slotMs + maxArrivalDelayMs);
    let index = this.startsMs.length;
    while (index > 0 && this.startsMs[index - 1]! > datedMs) index -= 1;
    this.startsMs.splice(index, 0, datedMs);
  }

  /** Hands back the slot of a call the server refused without counting it (a 429 or a 503). */
  release(slotMs: number): void {
    const index = this.startsMs.lastIndexOf(slotMs);
    if (index >= 0) this.startsMs.splice(index, 1);
  }

  /** Learns from a `rate_limited` outcome: its per-minute quota value and its retry delay. */
  learn(outcome: Outcome, nowMs: number): void {
    const lesson = quotaLessonOf(outcome, nowMs);
    if (lesson.heldUntilMs !== undefined) this.heldUntilMs = Math.max(this.heldUntilMs, lesson.heldUntilMs);
    if (lesson.requestsPerMinute !== undefined) {
      this.limit = Math.min(this.limit ?? Infinity, lesson.requestsPerMinute);
    }
  }

  private forget(nowMs: number): void {
    const windowStartMs = nowMs - quotaWindowMs;
    let expired = 0;
    while (expired < this.startsMs.length && this.startsMs[expired]! <= windowStartMs) expired += 1;
    if (expired > 0) this.startsMs.splice(0, expired);
  }
}

/**
 * What a `rate_limited` outcome teaches about a model's quota: every call waits until `heldUntilMs` (its
 * retry delay), and a `QuotaFailure` naming a per-minute request quota gives the limit. Empty for others.
 */
export function quotaLessonOf(
  outcome: Outcome,
  nowMs: number,
): { heldUntilMs?: number; requestsPerMinute?: number } {
  if (outcome.kind !== 'rate_limited') return {};
  const heldUntilMs = outcome.retryAfterMs !== undefined ? nowMs + outcome.retryAfterMs : undefined;
  // Only a requests-per-minute quota says how many calls fit a minute (a token quota counts tokens).
  const quota = outcome.quota;
  const quotaValue = Number(quota?.quotaValue);
  const perMinuteRequests =
    quota && !quota.perDay && /requests/i.test(quota.quotaId) && /minute/i.test(quota.quotaId);
  const requestsPerMinute =
    perMinuteRequests && Number.isInteger(quotaValue) && quotaValue > 0 ? quotaValue : undefined;
  return {
    ...(heldUntilMs !== undefined ? { heldUntilMs } : {}),
    ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
  };
}
