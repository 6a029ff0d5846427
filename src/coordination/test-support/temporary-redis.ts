import { Redis } from 'ioredis';

/** Where the tests look for Redis; `IMAGEGATE_TEST_REDIS_URL` points them elsewhere. */
export const testRedisUrl = process.env.IMAGEGATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let probe: Promise<boolean> | undefined;

/** Whether Redis answers; skipped with one line where none does, a failure under `CI=true`. */
export function redisAvailable(): Promise<boolean> {
  return (probe ??= (async () => {
    const redis = new Redis(testRedisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
      return true;
    } catch (error) {
      if (process.env.CI === 'true') {
        throw new Error(`CI=true but no Redis answers at ${testRedisUrl}: ${String(error)}`, {
          cause: error,
        });
      }
      console.warn(`Redis tests skipped: none answers at ${testRedisUrl} (${String(error)}).`);
      return false;
    } finally {
      redis.disconnect();
    }
  })());
}

/** Deletes what one test wrote under its own key prefix, so runs sharing a Redis never see each other. */
export async function deleteRedisKeys(keyPrefix: string): Promise<void> {
  const admin = new Redis(testRedisUrl);
  try {
    const keys = await admin.keys(`${keyPrefix}*`);
    if (keys.length > 0) await admin.del(...keys);
  } finally {
    admin.disconnect();
  }
}
