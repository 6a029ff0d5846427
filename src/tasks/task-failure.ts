import { InvalidInputError } from '../client/index.js';
import { ImageGenerationError } from '../engine/index.js';
import { MediaInputError } from '../media/index.js';
import { NoUsableCandidateError, UnknownModelError } from '../registry/index.js';
import type { TaskError } from './task-record.js';

/** What the worker does with a run that threw. */
export type FailureDecision =
  | { action: 'fail'; error: TaskError }
  | { action: 'retry'; error: TaskError; retryAfterMs?: number }
  /** Every usable candidate's circuit is open: wait for the next trial call; the run does not count. */
  | { action: 'park'; error: TaskError; untilMs: number };

/**
 * Sorts a thrown error: the request's own faults fail at once; a run stopped by open circuit breakers is
 * parked until their next trial; an engine failure that may pass later is retried by rescheduling; anything unexpected fails as `internal_error` (unknown errors are
 * permanent by default).
 */
export function decideFailure(error: unknown): FailureDecision {
  if (error instanceof ImageGenerationError) {
    const { outcome } = error;
    const taskError = {
      type: outcome.kind,
      code: outcome.httpStatus !== undefined ? String(outcome.httpStatus) : outcome.kind,
      message: outcome.message,
    };
    if (error.isRetryable && error.circuitOpenUntilMs !== undefined) {
      return { action: 'park', error: taskError, untilMs: error.circuitOpenUntilMs };
    }
    return error.isRetryable
      ? {
          action: 'retry',
          error: taskError,
          ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
        }
      : { action: 'fail', error: taskError };
  }
  if (error instanceof InvalidInputError) return failWith('invalid_request', 'invalid_input', error);
  if (error instanceof MediaInputError) return failWith('invalid_request', 'invalid_media', error);
  if (error instanceof UnknownModelError) return failWith('model_not_found', 'unknown_model', error);
  if (error instanceof NoUsableCandidateError) return failWith('model_retired', 'no_usable_model', error);
  return failWith('internal_error', 'internal_error', error);
}

function failWith(type: string, code: string, error: unknown): FailureDecision {
  const message = error instanceof Error ? error.message : String(error);
  return { action: 'fail', error: { type, code, message } };
}
