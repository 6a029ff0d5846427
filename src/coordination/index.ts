export type { SharedRateLimits, RateLimitDecision } from './shared-rate-limits.js';
export { LocalRateLimits } from './local-rate-limits.js';
export { RedisRateLimits, redisUrlSchema, type RedisRateLimitsOptions } from './redis-rate-limits.js';
