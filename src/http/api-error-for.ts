import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorAnswerFor, ImagegateError } from '../errors/index.js';
import { ApiError, retryAfterHeader } from './api-error.js';

/** What a caller reads when something unexpected failed: nothing about this machine leaks. */
export const internalErrorMessage = 'imagegate failed while answering; the error was logged.';

export interface ApiErrorForOptions {
  /**
   * The caller's names for library fields, where an API spells them its own way (`imageCount` → `n`).
   * Default: the library's names.
   */
  fieldNames?: Readonly<Record<string, string>>;
}

/**
 * Any thrown value as the HTTP answer of both APIs (native and OpenAI-compatible): an `ApiError` as it is,
 * an imagegate error by its kind's row of `errorAnswers`, anything else a 500 that leaks nothing.
 */
export function apiErrorFor(error: unknown, options: ApiErrorForOptions = {}): ApiError {
  if (error instanceof ApiError) return error;
  if (!(error instanceof ImagegateError)) {
    const answer = errorAnswerFor('internal_error');
    return new ApiError(statusOf(answer.status), answer.type, answer.code, internalErrorMessage);
  }
  const answer = errorAnswerFor(error.kind);
  const field = error.field === undefined ? undefined : (options.fieldNames?.[error.field] ?? error.field);
  const waitsOnUpstream = answer.status === 429 || answer.status === 503;
  return new ApiError(
    statusOf(answer.status),
    answer.type,
    error.code ?? answer.code,
    error.clientMessage,
    field ?? answer.param ?? null,
    waitsOnUpstream && error.retryAfterMs !== undefined ? retryAfterHeader(error.retryAfterMs) : {},
  );
}

// 499 (client closed request) is nginx's and not in Hono's list of statuses; the table is checked by a test.
function statusOf(status: number): ContentfulStatusCode {
  return status as ContentfulStatusCode;
}
