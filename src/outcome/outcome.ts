import type { OutcomeKind } from '../errors/index.js';

/**
 * One classified response or error. `retryable` and `fallbackEligible` follow the design's outcome table;
 * a route's policy may only narrow them (its `fallbackOn` list), never widen them.
 */
export interface Outcome {
  kind: OutcomeKind;
  /** Whether calling the same model again may succeed. */
  retryable: boolean;
  /** Whether another candidate of the route may be tried (subject to the route's `fallbackOn`). */
  fallbackEligible: boolean;
  /** The delay the server asked for (`RetryInfo.retryDelay` or `Retry-After`), honoured exactly. */
  retryAfterMs?: number;
  message: string;
  httpStatus?: number;
  /** `google.rpc.Code` name from the error body, e.g. `RESOURCE_EXHAUSTED`. */
  canonicalStatus?: string;
  /** The quota a 429 names in its `QuotaFailure` detail. */
  quota?: { quotaId: string; perDay: boolean; quotaValue?: string };
}

interface OutcomeRule {
  retryable: boolean;
  fallbackEligible: boolean;
}

/**
 * The outcome table of docs/error-handling.md as data. `blocked_*` are fallback-eligible "by policy": the
 * engine only falls back on them when the route's `fallbackOn` lists them, as for every other kind.
 */
export const outcomeRules: Readonly<Record<OutcomeKind, OutcomeRule>> = {
  success: { retryable: false, fallbackEligible: false },
  blocked_prompt: { retryable: false, fallbackEligible: true },
  blocked_output: { retryable: false, fallbackEligible: true },
  no_image: { retryable: true, fallbackEligible: true },
  wrong_output: { retryable: true, fallbackEligible: true },
  rate_limited: { retryable: true, fallbackEligible: true },
  quota_exhausted: { retryable: false, fallbackEligible: true },
  unavailable: { retryable: true, fallbackEligible: true },
  model_retired: { retryable: false, fallbackEligible: true },
  model_not_found: { retryable: false, fallbackEligible: false },
  invalid_request: { retryable: false, fallbackEligible: false },
  region_blocked: { retryable: false, fallbackEligible: true },
  auth_failed: { retryable: false, fallbackEligible: false },
  cancelled: { retryable: false, fallbackEligible: false },
  unknown_error: { retryable: false, fallbackEligible: false },
};

/** Builds an outcome whose retry and fallback flags come from the table. */
export function outcomeOf(
  kind: OutcomeKind,
  message: string,
  details: Omit<Outcome, 'kind' | 'message' | 'retryable' | 'fallbackEligible'> = {},
): Outcome {
  return { kind, ...outcomeRules[kind], message, ...details };
}
