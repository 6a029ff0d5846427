import type { CatalogModel, LifecycleStatus, Platform } from '../catalog/index.js';
import type { ParameterPolicy } from '../config/index.js';
import type { OutcomeKind } from '../outcome/index.js';

export type { ParameterPolicy };

/** How long one candidate is retried before the engine moves on. */
export interface RetryBudget {
  /** Attempts per candidate, the first included. Default 3. */
  maxAttempts: number;
  /** Total time spent waiting between attempts on one candidate. Default 60000. */
  maxTotalWaitMs: number;
  /** First backoff delay when the platform names none. Default 1000. */
  baseDelayMs: number;
  /** Longest single backoff delay. Default 30000. */
  maxDelayMs: number;
}

export interface RoutePolicy {
  /**
   * Outcomes that move a request to the next candidate. Default: no_image, wrong_output, rate_limited,
   * quota_exhausted, unavailable, model_retired, region_blocked (blocked_* only if configured).
   */
  fallbackOn: OutcomeKind[];
  /** What a candidate that cannot honour a parameter does. Default 'translate'. */
  parameterPolicy: ParameterPolicy;
  retry: RetryBudget;
  /** Wall time for the whole request, fallbacks included. Default 180000. */
  totalBudgetMs: number;
}

/** One model on one platform, as the engine will call it. */
export interface RouteCandidate {
  /** The catalog's canonical ID (an alias in the config is resolved to it). */
  modelId: string;
  platform: Platform;
  model: CatalogModel;
  /** Lifecycle at the moment the route was resolved. */
  lifecycle: LifecycleStatus;
}

export interface Route {
  /** What was asked for: a logical name or a model ID. */
  name: string;
  isLogical: boolean;
  /** In the order to try them; never empty. */
  candidates: RouteCandidate[];
  policy: RoutePolicy;
  /** Everything resolve changed or noticed (skipped, replaced, soon retired); shown to the caller. */
  warnings: string[];
}

export interface ModelLimits {
  /** Calls in flight at once. Absent: unlimited. */
  concurrency?: number;
  /** Calls started per minute. Absent: unlimited. */
  requestsPerMinute?: number;
}
