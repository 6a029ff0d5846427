/**
 * Every response or error becomes exactly one of these (the table in docs/error-handling.md). Whether it is retried or may
 * fall back is decided where the outcome is built, not by whoever reads it.
 */
export const outcomeKinds = [
  'success',
  'blocked_prompt',
  'blocked_output',
  'no_image',
  'wrong_output',
  'rate_limited',
  'quota_exhausted',
  'unavailable',
  'model_retired',
  'model_not_found',
  'invalid_request',
  'region_blocked',
  'auth_failed',
  'cancelled',
  'unknown_error',
] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];
// Plain data, no zod: the CLI reads this folder on every start (`--version` included); the schema of the
// kinds lives in src/outcome.
