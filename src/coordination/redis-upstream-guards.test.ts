import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import {
  contractBreakerOptions,
  describeUpstreamGuardsContract,
} from '../engine/test-support/upstream-guards-contract.js';
import { RedisUpstreamGuards } from './redis-upstream-guards.js';
import { redisAvailable, deleteRedisKeys, testRedisUrl } from './test-support/temporary-redis.js';

/** Deletes every key under a test run's prefix (they would expire anyway). */
async function deleteKeys(keyPrefix: string): Promise<void> {
  await deleteRedisKeys(keyPrefix);
}

const available = await redisAvailable();
describe.skipIf(!available)('on Redis', () => {
  describeUpstreamGuardsContract('Redis, three instances', async (clock) => {
    // A prefix per test: runs never share quotas or breakers.
    const keyPrefix = `imagegate-test-${randomBytes(6).toString('hex')}:`;
    const instances = [0, 1, 2].map(
      () =>
        new RedisUpstreamGuards({
          url: testRedisUrl,
          keyPrefix,
          clock,
          circuitBreaker: contractBreakerOptions,
          concurrencyPollMs: 20,
        }),
    );
    return {
      instances,
      cleanup: async () => {
        await deleteKeys(keyPrefix);
        await Promise.all(instances.map((instance) => instance.close()));
      },
    };
  });

  it('fails at once, without queueing, while Redis cannot be reached', async () => {
    const guards = new RedisUpstreamGuards({
      url: 'redis://127.0.0.1:1',
      clock: new ManualClock(),
    });
    await expect(guards.quotaFor('gemini-api/m', 5).tryTake(0)).rejects.toThrow();
    await expect(guards.concurrencyFor('gemini-api/m', 1).acquire()).rejects.toThrow();
    await expect(guards.ping()).rejects.toThrow();
    await guards.close();
  });

  it('frees the concurrency slots of an instance that died mid-call once their lease ends', async () => {
    const keyPrefix = `imagegate-test-${randomBytes(6).toString('hex')}:`;
    const options = { url: testRedisUrl, keyPrefix, clock: new ManualClock(), concurrencyPollMs: 20 };
    const dying = new RedisUpstreamGuards({ ...options, concurrencyLeaseMs: 600 });
    const survivor = new RedisUpstreamGuards(options);
    try {
      await dying.concurrencyFor('gemini-api/m', 1).acquire();
      const waiting = survivor.concurrencyFor('gemini-api/m', 1).acquire();
      // The holder's process ends without releasing: its connection goes, and with it the lease's renewals.
      await dying.close();
      const release = await waiting;
      await release();
    } finally {
      await survivor.close();
      await deleteKeys(keyPrefix);
    }
  });
});
