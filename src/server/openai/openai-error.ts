import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { InvalidInputError } from '../../client/index.js';
import { ImageGenerationError } from '../../engine/index.js';
import { MediaInputError } from '../../media/index.js';
import { NoUsableCandidateError, UnknownModelError } from '../../registry/index.js';
import type { TaskRecord } from '../../tasks/index.js';
import { ApiError, retryAfterHeader, type ApiErrorType } from '../../http/index.js';

/** Statuses and codes per outcome kind; the message is always the outcome's own. */
const outcomeAnswers: Record<string, { status: ContentfulStatusCode; type: ApiErrorType; code?: string }> = {
  blocked_prompt: { status: 400, type: 'invalid_request_error', code: 'moderation_blocked' },
  blocked_output: { status: 400, type: 'invalid_request_error', code: 'moderation_blocked' },
  invalid_request: { status: 400, type: 'invalid_request_error' },
  model_not_found: { status: 404, type: 'invalid_request_error' },
  model_retired: { status: 410, type: 'invalid_request_error' },
  rate_limited: { status: 429, type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' },
  quota_exhausted: { status: 429, type: 'rate_limit_exceeded', code: 'quota_exhausted' },
  unavailable: { status: 503, type: 'api_error', code: 'upstream_unavailable' },
  // The server's own Gemini credentials or location failed: not something the caller can fix.
  auth_failed: { status: 502, type: 'api_error', code: 'upstream_auth_failed' },
  region_blocked: { status: 502, type: 'api_error' },
  no_image: { status: 502, type: 'api_error' },
  wrong_output: { status: 502, type: 'api_error' },
  // 499 (client closed request) is nginx's, not in Hono's list of statuses.
  cancelled: { status: 499 as ContentfulStatusCode, type: 'api_error' },
};

/** Every status a failed generation can be answered with (the client's own hang-up aside). */
export const openAiOutcomeStatuses: readonly number[] = [
  ...new Set(Object.values(outcomeAnswers).map((answer) => answer.status as number)),
].filter((status) => status !== 499);

/**
 * What a failed generation is answered with, in OpenAI's error shape: bad input is a 400 naming the field,
 * unknown models 404, retired ones 410, safety blocks 400 `moderation_blocked`, rate limits and quotas 429
 * (with `Retry-After` when Gemini said how long), upstream trouble 502/503. Anything unexpected is a 500
 * whose message does not leak internals.
 */
export function openAiErrorFor(error: unknown, fieldNames: Record<string, string> = {}): ApiError {
  // Already an answer (a budget refusal, a storage fault turned 503, a failed task).
  if (error instanceof ApiError) return error;
  if (error instanceof InvalidInputError) {
    const param = error.field ? (fieldNames[error.field] ?? error.field) : null;
    return new ApiError(400, 'invalid_request_error', 'invalid_value', error.message, param);
  }
  if (error instanceof MediaInputError) {
    return new ApiError(400, 'invalid_request_error', 'invalid_image', error.message, 'image');
  }
  if (error instanceof UnknownModelError) {
    return new ApiError(404, 'invalid_request_error', 'model_not_found', error.message, 'model');
  }
  if (error instanceof NoUsableCandidateError) {
    return new ApiError(410, 'invalid_request_error', 'model_retired', error.message, 'model');
  }
  if (error instanceof ImageGenerationError) {
    const kind = error.outcome.kind;
    const mapped = outcomeAnswers[kind] ?? { status: 502 as const, type: 'api_error' as const };
    const retryAfterMs = error.outcome.retryAfterMs;
    const headers =
      (mapped.status === 429 || mapped.status === 503) && retryAfterMs !== undefined
        ? retryAfterHeader(retryAfterMs)
        : {};
    const param = kind === 'model_not_found' || kind === 'model_retired' ? 'model' : null;
    return new ApiError(
      mapped.status,
      mapped.type,
      mapped.code ?? kind,
      error.outcome.message,
      param,
      headers,
    );
  }
  return new ApiError(
    500,
    'api_error',
    'internal_error',
    'The image could not be generated because of an internal error.',
    null,
  );
}

/** A task that ended without images, answered like the engine's error of the same outcome kind. */
export function openAiErrorForTask(task: TaskRecord): ApiError {
  const error = task.error ?? { type: 'internal_error', code: 'internal_error', message: 'The task failed.' };
  const mapped = outcomeAnswers[error.type];
  if (!mapped) {
    return new ApiError(
      500,
      'api_error',
      'internal_error',
      'The image could not be generated because of an internal error.',
    );
  }
  const param = error.type === 'model_not_found' || error.type === 'model_retired' ? 'model' : null;
  return new ApiError(mapped.status, mapped.type, mapped.code ?? error.type, error.message, param);
}
