export type { SharedRateLimits, RateLimitDecision } from './shared-rate-limits.js';
export { LocalRateLimits } from './local-rate-limits.js';
export { RedisRateLimits, type RedisRateLimitsOptions } from './redis-rate-limits.js';
export { RedisUpstreamGuards, type RedisUpstreamGuardsOptions } from './redis-upstream-guards.js';
export { redisConnectionName } from './redis-connection.js';
