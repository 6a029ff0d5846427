import type { Outcome } from '../outcome/index.js';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.js';
import { QuotaPacer } from './quota-pacer.js';
import { Semaphore } from './semaphore.js';
import type {
  ModelBreaker,
  ModelConcurrency,
  ModelQuota,
  QuotaSlot,
  UpstreamGuards,
} from './upstream-guards.js';

/** Quota pacers, circuit breakers and concurrency limits in this process: the default, right for one instance. */
export class LocalUpstreamGuards implements UpstreamGuards {
  private readonly quotas = new Map<string, LocalModelQuota>();
  private readonly breakers = new Map<string, LocalModelBreaker>();
  private readonly semaphores = new Map<string, LocalModelConcurrency>();

  constructor(private readonly breakerOptions: CircuitBreakerOptions) {}

  quotaFor(key: string, requestsPerMinute: number | undefined): ModelQuota {
    let quota = this.quotas.get(key);
    if (!quota) {
      quota = new LocalModelQuota(new QuotaPacer(requestsPerMinute));
      this.quotas.set(key, quota);
    }
    return quota;
  }

  breakerFor(key: string): ModelBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new LocalModelBreaker(new CircuitBreaker(this.breakerOptions));
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  concurrencyFor(key: string, limit: number): ModelConcurrency {
    let concurrency = this.semaphores.get(key);
    if (!concurrency) {
      concurrency = new LocalModelConcurrency(new Semaphore(limit));
      this.semaphores.set(key, concurrency);
    }
    return concurrency;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

class LocalModelQuota implements ModelQuota {
  constructor(private readonly pacer: QuotaPacer) {}

  async tryTake(nowMs: number): Promise<{ taken: true; slot: QuotaSlot } | { taken: false; waitMs: number }> {
    const taken = this.pacer.tryTake(nowMs);
    return taken.taken
      ? { taken: true, slot: { slotMs: taken.slotMs, slotId: String(taken.slotMs) } }
      : taken;
  }

  async answered(slot: QuotaSlot, answeredAtMs: number): Promise<void> {
    this.pacer.answered(slot.slotMs, answeredAtMs);
  }

  async release(slot: QuotaSlot): Promise<void> {
    this.pacer.release(slot.slotMs);
  }

  async learn(outcome: Outcome, nowMs: number): Promise<void> {
    this.pacer.learn(outcome, nowMs);
  }
}

class LocalModelBreaker implements ModelBreaker {
  constructor(private readonly breaker: CircuitBreaker) {}

  async stateAt(nowMs: number): Promise<CircuitState> {
    return this.breaker.stateAt(nowMs);
  }

  async allowsCallAt(nowMs: number): Promise<boolean> {
    return this.breaker.allowsCallAt(nowMs);
  }

  async waitForTrial(signal?: AbortSignal): Promise<boolean> {
    const trial = this.breaker.trialInFlightSettles();
    if (!trial) return false;
    if (!signal) {
      await trial;
      return true;
    }
    let onAbort = () => {};
    const aborted = new Promise<void>((resolve) => {
      onAbort = () => resolve();
      signal.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([trial, aborted]);
    signal.removeEventListener('abort', onAbort);
    return true;
  }

  async nextTrialAtMs(nowMs: number): Promise<number | undefined> {
    return this.breaker.nextTrialAtMs(nowMs);
  }

  async remainingCooldownMs(nowMs: number): Promise<number> {
    return this.breaker.remainingCooldownMs(nowMs);
  }

  async recordSuccess(): Promise<void> {
    this.breaker.recordSuccess();
  }

  async recordTransientFailure(nowMs: number): Promise<void> {
    this.breaker.recordTransientFailure(nowMs);
  }

  async recordOtherAnswer(): Promise<void> {
    this.breaker.recordOtherAnswer();
  }

  async abandonCall(): Promise<void> {
    this.breaker.abandonCall();
  }
}

class LocalModelConcurrency implements ModelConcurrency {
  constructor(private readonly semaphore: Semaphore) {}

  async acquire(signal?: AbortSignal): Promise<() => Promise<void>> {
    const release = await this.semaphore.acquire(signal);
    return async () => release();
  }
}
