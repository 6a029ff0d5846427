import type { Outcome } from '../outcome/index.js';
import type { CircuitState } from './circuit-breaker.js';

/** A slot of a model's per-minute quota taken for one call: hand it back or date it once answered. */
export interface QuotaSlot {
  /** Clock time the slot was taken. */
  readonly slotMs: number;
  /** Names the slot among others taken in the same millisecond (by this or another instance). */
  readonly slotId: string;
}

/**
 * The per-minute quota of one (platform, model), counted over a sliding minute the way Gemini and the
 * emulator count it (see `QuotaPacer` for when a slot counts). Every instance sharing one `UpstreamGuards`
 * backend counts against the same quota.
 */
export interface ModelQuota {
  /** Takes a slot for a call starting now, or says how long until one is free. */
  tryTake(nowMs: number): Promise<{ taken: true; slot: QuotaSlot } | { taken: false; waitMs: number }>;
  /** Dates a taken slot from the call's answer. */
  answered(slot: QuotaSlot, answeredAtMs: number): Promise<void>;
  /** Hands back the slot of a call the server refused without counting it (a 429 or a 503). */
  release(slot: QuotaSlot): Promise<void>;
  /** Learns from a `rate_limited` outcome: its per-minute quota value and its retry delay, for everyone. */
  learn(outcome: Outcome, nowMs: number): Promise<void>;
}

/**
 * The limit on calls in flight to one (platform, model) (`limits[].concurrency`). Every instance sharing
 * one `UpstreamGuards` backend counts against the same limit; a slot held by an instance that died is
 * freed after a lease, so a crash cannot shrink the limit for good.
 */
export interface ModelConcurrency {
  /**
   * Waits for a free slot and takes it; the answer releases it (once; later calls do nothing). Rejects with
   * the signal's reason when `signal` aborts first, and with the backend's error when it cannot be asked.
   */
  acquire(signal?: AbortSignal): Promise<() => Promise<void>>;
}

/**
 * The circuit breaker of one (platform, model) (see `CircuitBreaker` for the states). Shared: failures
 * seen by any instance open it for all, and in half-open state one trial call goes out in all of them.
 */
export interface ModelBreaker {
  stateAt(nowMs: number): Promise<CircuitState>;
  /** Whether a call may go out now; in half-open state only one trial call is allowed. */
  allowsCallAt(nowMs: number): Promise<boolean>;
  /**
   * While a half-open trial call is out, waits until it may have ended (or `signal` aborts) and answers
   * true: then ask again. Answers false at once when no trial is out, so there is nothing to wait for.
   */
  waitForTrial(signal?: AbortSignal): Promise<boolean>;
  /** Clock time of the next trial call while the circuit is open; undefined when closed or half-open. */
  nextTrialAtMs(nowMs: number): Promise<number | undefined>;
  /** Milliseconds until a trial call will be allowed (0 when calls pass now). */
  remainingCooldownMs(nowMs: number): Promise<number>;
  recordSuccess(): Promise<void>;
  recordTransientFailure(nowMs: number): Promise<void>;
  /** An answer that is neither success nor a transient failure proves the model is up. */
  recordOtherAnswer(): Promise<void>;
  /** A call that ended without an answer either way: a half-open trial may go again. */
  abandonCall(): Promise<void>;
}

/**
 * Where the engine keeps what limits calls to each (platform, model): the quota pacer and the circuit
 * breaker. `LocalUpstreamGuards` keeps them in this process (one instance); the coordination folder's
 * `RedisUpstreamGuards` keeps them in Redis, so several instances share one quota and one breaker per
 * model instead of each spending the whole quota and each probing a model that is down.
 */
export interface UpstreamGuards {
  /** `requestsPerMinute` is the configured limit (undefined: none, until a 429 teaches one). */
  quotaFor(key: string, requestsPerMinute: number | undefined): ModelQuota;
  breakerFor(key: string): ModelBreaker;
  /** `limit` is the configured `concurrency`, the same for every call with this key. */
  concurrencyFor(key: string, limit: number): ModelConcurrency;
  /** Throws unless the backing service answers (for `/healthz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
