import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import { LocalRateLimits } from './local-rate-limits.js';
import { RedisRateLimits } from './redis-rate-limits.js';
import { describeSharedRateLimitsContract } from './test-support/shared-rate-limits-contract.js';
import { redisAvailable, deleteRedisKeys, testRedisUrl } from './test-support/temporary-redis.js';

describeSharedRateLimitsContract('in-process', async () => {
  const limits = new LocalRateLimits();
  return { instances: [limits], bucketPrefix: '', cleanup: () => limits.close() };
});

const available = await redisAvailable();
describe.skipIf(!available)('on Redis', () => {
  describeSharedRateLimitsContract('Redis, three instances', async () => {
    // A prefix per test run: runs never share counters, and the keys expire after a minute anyway.
    const keyPrefix = `imagegate-test-${randomBytes(6).toString('hex')}:`;
    const instances = [0, 1, 2].map(() => new RedisRateLimits({ url: testRedisUrl, keyPrefix }));
    return {
      instances,
      bucketPrefix: '',
      cleanup: async () => {
        await deleteRedisKeys(keyPrefix);
        await Promise.all(instances.map((instance) => instance.close()));
      },
    };
  });
});
