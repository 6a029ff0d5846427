import { randomBytes } from 'node:crypto';
import { Semaphore } from 'redis-semaphore';
import type { Clock } from '../clock/index.js';
import {
  defaultCircuitBreakerOptions,
  maxArrivalDelayMs,
  quotaLessonOf,
  quotaWindowMs,
  type CircuitBreakerOptions,
  type CircuitState,
  type ModelBreaker,
  type ModelConcurrency,
  type ModelQuota,
  type QuotaSlot,
  type UpstreamGuards,
} from '../engine/index.js';
import type { Outcome } from '../outcome/index.js';
import { RedisConnection, redisConnectionName } from './redis-connection.js';

export interface RedisUpstreamGuardsOptions {
  url: string;
  /** Put before every Redis key, so several deployments can share one Redis. Default `imagegate:`. */
  keyPrefix?: string;
  /** The instances' common clock (the system clock in production): quota slots are dated by it. */
  clock: Clock;
  circuitBreaker?: Partial<CircuitBreakerOptions>;
  /**
   * How long a half-open trial call holds the trial for every instance at most, in Redis's time: an
   * instance that dies mid-trial frees it after this. Default 60000 (longer than any single call).
   */
  trialLeaseMs?: number;
  /** How often a run waiting for another instance's trial call asks again. Default 250. */
  trialPollMs?: number;
  /**
   * How long a slot under a model's `concurrency` limit outlives the instance holding it (renewed every
   * third of it while the call runs): an instance that dies mid-call, or loses Redis, frees its slots after
   * this. Default 30000.
   */
  concurrencyLeaseMs?: number;
  /** How often a call waiting for a free `concurrency` slot asks again. Default 50. */
  concurrencyPollMs?: number;
}

/*
 * The sliding-minute check and the take must be one atomic step, or three instances that each see one
 * free slot would all take it. rate-limiter-flexible (used for per-key limits) counts fixed windows on
 * Redis's own time: it lets twice the quota through around a window boundary, which Gemini's sliding
 * minute refuses with 429s, and it cannot re-date a slot from the call's answer. Hence this short script.
 *
 * KEYS[1]: the slots (a sorted set: slot id → clock time); KEYS[2]: what 429s taught (a sorted set with
 * members heldUntilMs and learnedLimit). ARGV: now, configured limit (-1: none), slot id, window.
 * Returns {1, 0} when taken, {0, waitMs} when not.
 */
const takeSlotScript = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[4])
local held = tonumber(redis.call('ZSCORE', KEYS[2], 'heldUntilMs') or '0')
if now < held then return {0, held - now} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local limit = tonumber(ARGV[2])
local learned = redis.call('ZSCORE', KEYS[2], 'learnedLimit')
if learned then
  learned = tonumber(learned)
  if limit < 0 or learned < limit then limit = learned end
end
if limit >= 0 then
  local count = redis.call('ZCARD', KEYS[1])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
    return {0, math.max(1, tonumber(oldest[2]) + window - now)}
  end
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window * 2)
return {1, 0}
`;

/** How long what a 429 taught is kept (Redis time): a day, renewed by every further 429. */
const lessonTtlMs = 86_400_000;

/**
 * Quota pacers and circuit breakers per (platform, model) kept in Redis, shared by every instance on the
 * same Redis and key prefix: together they stay within one per-minute quota, and a model that fails for
 * one instance is paused (and probed with one trial call) for all. Commands fail at once while Redis is
 * away; the engine turns that into a retryable `unavailable` outcome.
 */
export class RedisUpstreamGuards implements UpstreamGuards {
  private readonly connection: RedisConnection;
  private readonly keyPrefix: string;
  private readonly clock: Clock;
  private readonly breakerOptions: CircuitBreakerOptions;
  private readonly trialLeaseMs: number;
  private readonly trialPollMs: number;
  /** Names this instance's trial calls, so it only ever ends its own. */
  private readonly instanceToken = randomBytes(8).toString('hex');
  private slotCounter = 0;
  private readonly quotas = new Map<string, ModelQuota>();
  private readonly breakers = new Map<string, ModelBreaker>();
  private readonly concurrencyLeaseMs: number;
  private readonly concurrencyPollMs: number;
  /** Lease renewals of the concurrency slots this instance holds; stopped by `close`. */
  private readonly renewals = new Set<NodeJS.Timeout>();

  constructor(options: RedisUpstreamGuardsOptions) {
    this.keyPrefix = options.keyPrefix ?? 'imagegate:';
    this.connection = new RedisConnection(options.url, redisConnectionName(this.keyPrefix));
    this.clock = options.clock;
    this.breakerOptions = { ...defaultCircuitBreakerOptions, ...options.circuitBreaker };
    this.trialLeaseMs = options.trialLeaseMs ?? 60_000;
    this.trialPollMs = options.trialPollMs ?? 250;
    this.concurrencyLeaseMs = options.concurrencyLeaseMs ?? 30_000;
    this.concurrencyPollMs = options.concurrencyPollMs ?? 50;
  }

  quotaFor(key: string, requestsPerMinute: number | undefined): ModelQuota {
    let quota = this.quotas.get(key);
    if (!quota) {
      quota = this.createQuota(key, requestsPerMinute);
      this.quotas.set(key, quota);
    }
    return quota;
  }

  breakerFor(key: string): ModelBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = this.createBreaker(key);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /**
   * A counting semaphore in Redis (redis-semaphore: a sorted set of holders, each dropped when its lease
   * ends unless renewed), so `concurrency` bounds the calls of all instances together.
   */
  concurrencyFor(key: string, limit: number): ModelConcurrency {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`concurrency must be a positive integer, got ${limit}`);
    }
    const semaphoreKey = `${this.keyPrefix}concurrency:${key}`;
    const leaseMs = this.concurrencyLeaseMs;
    const pollMs = this.concurrencyPollMs;
    const ready = () => this.connection.ready();
    const renewals = this.renewals;
    return {
      async acquire(signal) {
        const redis = await ready();
        const holder = new Semaphore(redis, semaphoreKey, limit, {
          lockTimeout: leaseMs,
          acquireTimeout: Number.POSITIVE_INFINITY,
          retryInterval: pollMs,
          // The library's own renewal rejects unhandled when Redis drops mid-call, which would end the
          // process; the renewal below lets a failed one pass (the lease then runs out and frees the slot).
          refreshInterval: 0,
        });
        await holder.acquire(signal);
        const renewal = setInterval(
          () => {
            // Renews the holder's lease by its identifier (the library's "acquired externally" refresh).
            const renewer = new Semaphore(redis, semaphoreKey, limit, {
              identifier: holder.identifier,
              acquiredExternally: true,
              lockTimeout: leaseMs,
              refreshInterval: 0,
            });
            renewer.tryAcquire().catch(() => undefined);
          },
          Math.round(leaseMs / 3),
        );
        renewal.unref();
        renewals.add(renewal);
        let released = false;
        return async () => {
          if (released) return;
          released = true;
          clearInterval(renewal);
          renewals.delete(renewal);
          await holder.release();
        };
      },
    };
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    for (const renewal of this.renewals) clearInterval(renewal);
    this.renewals.clear();
    this.connection.close();
  }

  private createQuota(key: string, requestsPerMinute: number | undefined): ModelQuota {
    if (requestsPerMinute !== undefined && !(requestsPerMinute > 0)) {
      throw new Error(`requestsPerMinute must be a positive number, got ${requestsPerMinute}`);
    }
    const slotsKey = `${this.keyPrefix}quota-slots:${key}`;
    const lessonsKey = `${this.keyPrefix}quota-lessons:${key}`;
    const ready = () => this.connection.ready();
    const nextSlotId = () => `${this.instanceToken}:${(this.slotCounter += 1)}`;
    return {
      async tryTake(nowMs) {
        const slotId = nextSlotId();
        const redis = await ready();
        const [taken, waitMs] = (await redis.eval(
          takeSlotScript,
          2,
          slotsKey,
          lessonsKey,
          nowMs,
          requestsPerMinute ?? -1,
          slotId,
          quotaWindowMs,
        )) as [number, number];
        return taken === 1
          ? { taken: true, slot: { slotMs: nowMs, slotId } }
          : { taken: false, waitMs: Number(waitMs) };
      },
      async answered(slot: QuotaSlot, answeredAtMs: number) {
        const datedMs = Math.min(answeredAtMs, slot.slotMs + maxArrivalDelayMs);
        // XX: only a slot still counted is re-dated (one older than the window may be gone already).
        await (await ready()).zadd(slotsKey, 'XX', datedMs, slot.slotId);
      },
      async release(slot: QuotaSlot) {
        await (await ready()).zrem(slotsKey, slot.slotId);
      },
      async learn(outcome: Outcome, nowMs: number) {
        const lesson = quotaLessonOf(outcome, nowMs);
        if (lesson.heldUntilMs === undefined && lesson.requestsPerMinute === undefined) return;
        const transaction = (await ready()).multi();
        // GT and LT keep the latest hold and the lowest limit whichever instance learned them.
        if (lesson.heldUntilMs !== undefined) {
          transaction.zadd(lessonsKey, 'GT', lesson.heldUntilMs, 'heldUntilMs');
        }
        if (lesson.requestsPerMinute !== undefined) {
          transaction.zadd(lessonsKey, 'LT', lesson.requestsPerMinute, 'learnedLimit');
        }
        transaction.pexpire(lessonsKey, lessonTtlMs);
        await transaction.exec();
      },
    };
  }

  private createBreaker(key: string): ModelBreaker {
    const stateKey = `${this.keyPrefix}breaker:${key}`;
    const trialKey = `${this.keyPrefix}breaker-trial:${key}`;
    const { failureThreshold, cooldownMs } = this.breakerOptions;
    const { instanceToken, trialLeaseMs, trialPollMs, clock } = this;
    const ready = () => this.connection.ready();
    // Whether this instance holds the half-open trial (like `CircuitBreaker`, one per model per process).
    let trialHeld = false;
    const openedAtMs = async (): Promise<number | undefined> => {
      const value = await (await ready()).hget(stateKey, 'openedAtMs');
      return value === null ? undefined : Number(value);
    };
    const stateAt = async (nowMs: number): Promise<CircuitState> => {
      const opened = await openedAtMs();
      if (opened === undefined) return 'closed';
      return nowMs - opened >= cooldownMs ? 'half-open' : 'open';
    };
    const endOwnTrial = async () => {
      if (!trialHeld) return;
      trialHeld = false;
      const redis = await ready();
      if ((await redis.get(trialKey)) === instanceToken) await redis.del(trialKey);
    };
    const close = async () => {
      trialHeld = false;
      await (await ready()).del(stateKey, trialKey);
    };
    return {
      stateAt,
      async allowsCallAt(nowMs) {
        const opened = await openedAtMs();
        if (opened === undefined) return true;
        if (nowMs - opened < cooldownMs) return false;
        const acquired = await (await ready()).set(trialKey, instanceToken, 'PX', trialLeaseMs, 'NX');
        if (acquired !== 'OK') return false;
        trialHeld = true;
        return true;
      },
      async waitForTrial(signal) {
        if ((await (await ready()).exists(trialKey)) === 0) return false;
        // Another instance cannot tell this one when its trial ends: ask again after a short wait.
        await clock.sleep(trialPollMs, signal).catch(() => undefined);
        return true;
      },
      async nextTrialAtMs(nowMs) {
        const opened = await openedAtMs();
        if (opened === undefined || nowMs - opened >= cooldownMs) return undefined;
        return opened + cooldownMs;
      },
      async remainingCooldownMs(nowMs) {
        const opened = await openedAtMs();
        return opened === undefined ? 0 : Math.max(0, opened + cooldownMs - nowMs);
      },
      recordSuccess: close,
      recordOtherAnswer: close,
      async recordTransientFailure(nowMs) {
        const redis = await ready();
        const failures = await redis.hincrby(stateKey, 'failures', 1);
        if (trialHeld || failures >= failureThreshold) await redis.hset(stateKey, 'openedAtMs', nowMs);
        await endOwnTrial();
      },
      abandonCall: endOwnTrial,
    };
  }
}
