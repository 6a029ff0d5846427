export {
  Engine,
  expectedImageFor,
  type AdaptRequest,
  type EngineOptions,
  type RunOptions,
} from './engine.js';
export { ImageGenerationError } from './image-generation-error.js';
export type { Attempt, ImageResult } from './attempt.js';
export type { Usage } from '../outcome/index.js';
export { costOfUsage, type CostEstimate } from './cost.js';
export { fullJitterDelayMs, retryWaitMs, type BackoffPolicy } from './backoff.js';
export {
  CircuitBreaker,
  defaultCircuitBreakerOptions,
  type CircuitBreakerOptions,
  type CircuitState,
} from './circuit-breaker.js';
export { TokenBucket } from './token-bucket.js';
export { Semaphore } from './semaphore.js';
export { quotaLessonOf, quotaWindowMs, maxArrivalDelayMs } from './quota-pacer.js';
export { LocalUpstreamGuards } from './local-upstream-guards.js';
export type {
  ModelBreaker,
  ModelConcurrency,
  ModelQuota,
  QuotaSlot,
  UpstreamGuards,
} from './upstream-guards.js';
