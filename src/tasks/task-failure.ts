import { ImageGenerationError } from '../engine/index.js';
import { errorAnswerOf, errorKindOf } from '../errors/index.js';
import type { TaskError } from './task-record.js';

/** What the worker does with a run that threw. */
export type FailureDecision =
  | { action: 'fail'; error: TaskError }
  | { action: 'retry'; error: TaskError; retryAfterMs?: number }
  /** Every usable candidate's circuit is open: wait for the next trial call; the run does not count. */
  | { action: 'park'; error: TaskError; untilMs: number };

/**
 * Sorts a thrown error: a run stopped by open circuit breakers is parked until their next trial; an engine
 * failure that may pass later is retried by rescheduling; everything else fails at once. The task's error
 * type is the kind's row of `errorAnswers`; its code the platform's HTTP status when there was one, else
 * the kind (unknown errors are `internal_error`, permanent).
 */
export function decideFailure(error: unknown): FailureDecision {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ImageGenerationError) {
    const { outcome } = error;
    const taskError = {
      type: errorAnswerOf(error).taskErrorType,
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
  return {
    action: 'fail',
    error: { type: errorAnswerOf(error).taskErrorType, code: errorKindOf(error), message },
  };
}
