import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../outcome/outcome.js';
import { maxArrivalDelayMs, QuotaPacer, quotaWindowMs } from './quota-pacer.js';

const perMinute = (quotaValue: string, retryAfterMs?: number) =>
  outcomeOf('rate_limited', 'quota exceeded', {
    httpStatus: 429,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    quota: { quotaId: 'GenerateRequestsPerMinutePerProjectPerModel', perDay: false, quotaValue },
  });

describe('QuotaPacer', () => {
  it('lets `limit` calls start in any window, never a burst right after a burst', () => {
    const pacer = new QuotaPacer(2);
    expect(pacer.tryTake(0)).toEqual({ taken: true, slotMs: 0 });
    expect(pacer.tryTake(10_000)).toEqual({ taken: true, slotMs: 10_000 });
    // A continuously refilled bucket would have a token again by now; the server's window has none.
    expect(pacer.tryTake(40_000)).toEqual({ taken: false, waitMs: quotaWindowMs - 40_000 });
    expect(pacer.tryTake(quotaWindowMs).taken).toBe(true);
    expect(pacer.tryTake(quotaWindowMs)).toEqual({ taken: false, waitMs: 10_000 });
  });

  it('dates a slot from the answer once the call is answered', () => {
    const pacer = new QuotaPacer(1);
    expect(pacer.tryTake(0).taken).toBe(true);
    pacer.answered(0, 800);
    expect(pacer.tryTake(quotaWindowMs)).toEqual({ taken: false, waitMs: 800 });
    expect(pacer.tryTake(quotaWindowMs + 800).taken).toBe(true);
    // A slow answer dates the slot no later than the longest assumed arrival delay after the send.
    pacer.answered(quotaWindowMs + 800, quotaWindowMs + 800 + 30_000);
    expect(pacer.tryTake(2 * quotaWindowMs + 800)).toEqual({ taken: false, waitMs: maxArrivalDelayMs });
  });

  it('hands back the slot of a call the server refused', () => {
    const pacer = new QuotaPacer(1);
    const slot = pacer.tryTake(0);
    expect(slot.taken).toBe(true);
    pacer.release(0);
    expect(pacer.tryTake(1).taken).toBe(true);
  });

  it('learns the limit from a per-minute QuotaFailure and holds every call for the RetryInfo delay', () => {
    const pacer = new QuotaPacer(undefined);
    for (let call = 0; call < 5; call += 1) expect(pacer.tryTake(call).taken).toBe(true);
    pacer.learn(perMinute('3', 20_000), 5);
    expect(pacer.requestsPerMinute).toBe(3);
    expect(pacer.tryTake(6)).toEqual({ taken: false, waitMs: 19_999 });
    // Held until 20005, then the window still holds five calls: the third newest frees the slot.
    expect(pacer.tryTake(20_005)).toEqual({ taken: false, waitMs: 2 + quotaWindowMs - 20_005 });
  });

  it('keeps the lower of configured and learned limits; ignores per-day and token quotas', () => {
    const pacer = new QuotaPacer(5);
    pacer.learn(perMinute('10'), 0);
    expect(pacer.requestsPerMinute).toBe(5);
    pacer.learn(
      outcomeOf('rate_limited', 'tokens', {
        quota: { quotaId: 'GenerateContentInputTokensPerModelPerMinute', perDay: false, quotaValue: '2' },
      }),
      0,
    );
    pacer.learn(
      outcomeOf('rate_limited', 'day', {
        quota: { quotaId: 'GenerateRequestsPerDayPerProjectPerModel', perDay: true, quotaValue: '1' },
      }),
      0,
    );
    expect(pacer.requestsPerMinute).toBe(5);
    pacer.learn(perMinute('4'), 0);
    expect(pacer.requestsPerMinute).toBe(4);
  });

  it('refuses a non-positive configured rate, naming the field', () => {
    expect(() => new QuotaPacer(0)).toThrow('requestsPerMinute must be a positive number, got 0');
  });
});
