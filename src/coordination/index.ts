export type { SharedRateLimits, RateLimitDecision } from './shared-rate-limits.js';
export { LocalRateLimits } from './local-rate-limits.js';
export type { RedisRateLimitsOptions } from './redis-rate-limits.js';
export type { RedisUpstreamGuardsOptions } from './redis-upstream-guards.js';
/** Per-key limits, quotas and breakers in Redis, imported when first asked for. */
export const loadRedisAdapter = () => import('./redis-adapter.js');
