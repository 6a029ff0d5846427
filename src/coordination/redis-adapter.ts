/**
 * Coordination through Redis, loaded only when a deployment names `coordination: redis`
 * (`loadRedisAdapter` in index.ts): ioredis and rate-limiter-flexible cost about 80 ms of start-up and
 * 10 MB of memory that a single instance never uses.
 */
export { RedisRateLimits } from './redis-rate-limits.js';
export { RedisUpstreamGuards } from './redis-upstream-guards.js';
export { redisConnectionName } from './redis-connection.js';
