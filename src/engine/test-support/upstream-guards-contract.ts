import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { outcomeOf } from '../../outcome/index.js';
import type { CircuitBreakerOptions } from '../circuit-breaker.js';
import type { UpstreamGuards } from '../upstream-guards.js';

/** The breaker settings every adapter under the contract is created with. */
export const contractBreakerOptions: CircuitBreakerOptions = { failureThreshold: 3, cooldownMs: 5_000 };

export interface UpstreamGuardsUnderTest {
  /** Views of one shared state: one for the in-process adapter, several (one per instance) for Redis. */
  instances: UpstreamGuards[];
  cleanup(): Promise<void>;
}

/**
 * What every `UpstreamGuards` must do, checked by counts on a manual clock (no waiting on the wall clock).
 * Each adapter's factory gets the clock its instances must read, and creates its breakers with
 * `contractBreakerOptions`. With several instances every check spreads its calls over all of them, so the
 * suite proves the state is shared.
 */
export function describeUpstreamGuardsContract(
  adapterName: string,
  createGuards: (clock: ManualClock) => Promise<UpstreamGuardsUnderTest>,
): void {
  describe(`UpstreamGuards contract: ${adapterName}`, () => {
    let clock: ManualClock;
    let instances: UpstreamGuards[];
    let cleanup: () => Promise<void>;
    const instance = (index: number) => instances[index % instances.length]!;
    beforeEach(async () => {
      clock = new ManualClock(Date.UTC(2026, 2, 1), { autoAdvance: false });
      const created = await createGuards(clock);
      instances = created.instances;
      cleanup = created.cleanup;
    });
    afterEach(() => cleanup());

    it('grants at most the per-minute limit across all instances, then says how long to wait', async () => {
      const takes = await Promise.all(
        Array.from({ length: 25 }, (_, index) =>
          instance(index).quotaFor('gemini-api/m', 10).tryTake(clock.nowMs()),
        ),
      );
      expect(takes.filter((take) => take.taken)).toHaveLength(10);
      for (const take of takes) if (!take.taken) expect(take.waitMs).toBe(60_000);
      clock.advance(59_999);
      expect((await instance(0).quotaFor('gemini-api/m', 10).tryTake(clock.nowMs())).taken).toBe(false);
      clock.advance(1);
      expect((await instance(1).quotaFor('gemini-api/m', 10).tryTake(clock.nowMs())).taken).toBe(true);
    });

    it('counts a sliding minute: a burst late in one minute leaves no room early in the next', async () => {
      const quota = (index: number) => instance(index).quotaFor('gemini-api/sliding', 4);
      expect((await quota(0).tryTake(clock.nowMs())).taken).toBe(true);
      clock.advance(50_000);
      for (let index = 1; index < 4; index++)
        expect((await quota(index).tryTake(clock.nowMs())).taken).toBe(true);
      clock.advance(10_000);
      // The first slot has left the window; the other three are 10 s old.
      expect((await quota(0).tryTake(clock.nowMs())).taken).toBe(true);
      const refused = await quota(1).tryTake(clock.nowMs());
      expect(refused).toEqual({ taken: false, waitMs: 50_000 });
    });

    it('takes back a released slot and dates an answered one from its answer', async () => {
      const quota = (index: number) => instance(index).quotaFor('gemini-api/dated', 1);
      const first = await quota(0).tryTake(clock.nowMs());
      if (!first.taken) throw new Error('the first slot was refused');
      await quota(0).release(first.slot);
      const second = await quota(1).tryTake(clock.nowMs());
      if (!second.taken) throw new Error('a released slot was not handed back');
      clock.advance(1_000);
      await quota(1).answered(second.slot, clock.nowMs());
      expect(await quota(2).tryTake(clock.nowMs())).toEqual({ taken: false, waitMs: 60_000 });
    });

    it('keeps models apart', async () => {
      expect((await instance(0).quotaFor('gemini-api/a', 1).tryTake(clock.nowMs())).taken).toBe(true);
      expect((await instance(1).quotaFor('gemini-api/b', 1).tryTake(clock.nowMs())).taken).toBe(true);
      expect((await instance(2).quotaFor('gemini-api/a', 1).tryTake(clock.nowMs())).taken).toBe(false);
      await instance(0).breakerFor('gemini-api/a').recordTransientFailure(clock.nowMs());
      await instance(0).breakerFor('gemini-api/a').recordTransientFailure(clock.nowMs());
      await instance(0).breakerFor('gemini-api/a').recordTransientFailure(clock.nowMs());
      expect(await instance(1).breakerFor('gemini-api/b').stateAt(clock.nowMs())).toBe('closed');
      await instance(0).ping();
    });

    it('holds every instance after a 429 with a retry delay and learns the quota it names', async () => {
      const limited = outcomeOf('rate_limited', 'quota exceeded', {
        httpStatus: 429,
        retryAfterMs: 7_000,
        quota: { quotaId: 'GenerateRequestsPerMinutePerProjectPerModel', perDay: false, quotaValue: '2' },
      });
      await instance(0).quotaFor('gemini-api/learn', undefined).learn(limited, clock.nowMs());
      expect(await instance(1).quotaFor('gemini-api/learn', undefined).tryTake(clock.nowMs())).toEqual({
        taken: false,
        waitMs: 7_000,
      });
      clock.advance(7_000);
      const takes = [];
      for (let index = 0; index < 3; index++) {
        takes.push(await instance(index).quotaFor('gemini-api/learn', undefined).tryTake(clock.nowMs()));
      }
      expect(takes.map((take) => take.taken)).toEqual([true, true, false]);
    });

    it('opens for every instance after the threshold of failures seen anywhere, then lets one trial through', async () => {
      const breaker = (index: number) => instance(index).breakerFor('gemini-api/flaky');
      for (let index = 0; index < 2; index++) await breaker(index).recordTransientFailure(clock.nowMs());
      expect(await breaker(2).allowsCallAt(clock.nowMs())).toBe(true);
      await breaker(2).recordTransientFailure(clock.nowMs());
      expect(await breaker(0).stateAt(clock.nowMs())).toBe('open');
      expect(await breaker(1).allowsCallAt(clock.nowMs())).toBe(false);
      expect(await breaker(1).nextTrialAtMs(clock.nowMs())).toBe(clock.nowMs() + 5_000);
      clock.advance(2_000);
      expect(await breaker(2).remainingCooldownMs(clock.nowMs())).toBe(3_000);
      clock.advance(3_000);
      expect(await breaker(0).stateAt(clock.nowMs())).toBe('half-open');
      const allowed = [];
      for (let index = 0; index < 3; index++) allowed.push(await breaker(index).allowsCallAt(clock.nowMs()));
      expect(allowed).toEqual([true, false, false]);
      // The trial succeeded: closed for everyone, and nobody waits for a trial any more.
      await breaker(0).recordSuccess();
      expect(await breaker(1).stateAt(clock.nowMs())).toBe('closed');
      expect(await breaker(2).allowsCallAt(clock.nowMs())).toBe(true);
      expect(await breaker(2).waitForTrial()).toBe(false);
    });

    it('reopens when the trial fails, and frees the trial when its caller abandons it', async () => {
      const breaker = (index: number) => instance(index).breakerFor('gemini-api/down');
      for (let index = 0; index < 3; index++) await breaker(index).recordTransientFailure(clock.nowMs());
      clock.advance(5_000);
      expect(await breaker(1).allowsCallAt(clock.nowMs())).toBe(true);
      await breaker(1).recordTransientFailure(clock.nowMs());
      expect(await breaker(0).stateAt(clock.nowMs())).toBe('open');
      clock.advance(5_000);
      expect(await breaker(2).allowsCallAt(clock.nowMs())).toBe(true);
      expect(await breaker(0).allowsCallAt(clock.nowMs())).toBe(false);
      await breaker(2).abandonCall();
      expect(await breaker(0).allowsCallAt(clock.nowMs())).toBe(true);
      // A blocked prompt or any other answer proves the model is up.
      await breaker(0).recordOtherAnswer();
      expect(await breaker(1).stateAt(clock.nowMs())).toBe('closed');
    });

    it('makes a caller wait for a trial in flight, and not when none is out', async () => {
      const breaker = (index: number) => instance(index).breakerFor('gemini-api/waiting');
      expect(await breaker(0).waitForTrial()).toBe(false);
      for (let index = 0; index < 3; index++) await breaker(index).recordTransientFailure(clock.nowMs());
      clock.advance(5_000);
      expect(await breaker(0).allowsCallAt(clock.nowMs())).toBe(true);
      const waiting = breaker(1).waitForTrial();
      let settled = false;
      void waiting.then(() => (settled = true));
      await breaker(0).recordSuccess();
      // The in-process breaker settles at the verdict; a shared one re-asks after a poll interval on the
      // clock, so the clock moves on until it has (at most 200 steps of 250 ms).
      for (let step = 0; step < 200 && !settled; step++) {
        clock.advance(250);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(settled).toBe(true);
      expect(await waiting).toBe(true);
      expect(await breaker(1).allowsCallAt(clock.nowMs())).toBe(true);
    });

    it('keeps at most `concurrency` calls in flight across all instances; a freed slot goes to a waiting call', async () => {
      const slots = (index: number) => instance(index).concurrencyFor('gemini-api/busy', 2);
      const first = await slots(0).acquire();
      await slots(1).acquire();
      const third = slots(2).acquire();
      expect(await stillWaiting(third)).toBe(true);
      await first();
      const release = await third;
      await release();
    });

    it('frees a slot once however often its release is called, and keeps models apart', async () => {
      const slots = (index: number) => instance(index).concurrencyFor('gemini-api/once', 2);
      const first = await slots(0).acquire();
      await slots(1).acquire();
      await first();
      await first();
      await slots(2).acquire();
      expect(await stillWaiting(slots(0).acquire())).toBe(true);
      // Another model's limit is its own.
      await (
        await instance(1).concurrencyFor('gemini-api/other', 2).acquire()
      )();
    });

    it('stops waiting for a slot when the signal aborts', async () => {
      const slots = (index: number) => instance(index).concurrencyFor('gemini-api/abort', 1);
      await slots(0).acquire();
      const controller = new AbortController();
      const waiting = slots(1).acquire(controller.signal);
      controller.abort(new Error('caller gave up'));
      await expect(waiting).rejects.toThrow('caller gave up');
    });
  });
}

/**
 * Whether an acquire is still waiting after a short while. A correct adapter never grants a full limit,
 * so this can only fail when one does; how long it waits bounds nothing.
 */
async function stillWaiting(acquire: Promise<unknown>): Promise<boolean> {
  const granted = Symbol('granted');
  const verdict = await Promise.race([
    acquire.then(
      () => granted,
      () => 'refused',
    ),
    new Promise((resolve) => setTimeout(resolve, 200)),
  ]);
  // A grant that comes later must not leak a slot into the next check.
  void acquire.then((release) => (typeof release === 'function' ? release() : undefined)).catch(() => {});
  return verdict !== granted;
}
