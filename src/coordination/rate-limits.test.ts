import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { LocalRateLimits } from './local-rate-limits.js';
import { RedisRateLimits } from './redis-rate-limits.js';
import { describeSharedRateLimitsContract } from './test-support/shared-rate-limits-contract.js';
import { redisAvailable, testRedisUrl } from './test-support/temporary-redis.js';

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
        const admin = new Redis(testRedisUrl);
        const keys = await admin.keys(`${keyPrefix}*`);
        if (keys.length > 0) await admin.del(...keys);
        admin.disconnect();
        await Promise.all(instances.map((instance) => instance.close()));
      },
    };
  });
});
