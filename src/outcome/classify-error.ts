import type { Platform } from '../catalog/index.js';
import {
  errorReasonsOf,
  parseGoogleErrorBody,
  quotaViolationsOf,
  retryDelayMsOf,
  type GoogleErrorBody,
} from './google-error-body.js';
import { outcomeOf, type Outcome } from './outcome.js';
import { parseRetryAfterHeaderMs } from './retry-delay.js';

export interface ErrorContext {
  modelId: string;
  platform: Platform;
  /** The catalog or registry says the model is past its shutdown date on this platform. */
  isKnownRetired: boolean;
  /** The model answered earlier in this process, so a 404 now means it was switched off. */
  hasAnsweredBefore: boolean;
  /** The caller's signal: an abort while it is aborted is a cancellation, otherwise a timeout. */
  signal?: AbortSignal;
  /** Known IDs close to `modelId`, offered when a 404 looks like a typo. Default: none. */
  suggestedModelIds?: string[];
  /** For HTTP-date `Retry-After` headers. Default: `Date.now()`. */
  nowMs?: number;
}

const serverErrorStatuses = new Set([408, 500, 502, 503, 504]);

/** Socket-level failure codes (Node and undici) that mean "the connection broke", not "the request is wrong". */
const networkErrorCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

const regionWords = /\b(location|region|country|territor)/i;

/** What google-auth-library throws when Vertex AI is configured but no Application Default Credentials exist. */
const missingAdcMessage = /Could not load the default credentials/i;

/**
 * Turns anything a provider call threw into an outcome (the table in docs/error-handling.md). The SDK throws `ApiError`
 * with `status` and the JSON error body as `message`; network failures arrive as fetch errors with a
 * `cause`; a body cut off mid-way surfaces as the `SyntaxError` of `response.json()`.
 */
export function classifyError(error: unknown, context: ErrorContext): Outcome {
  if (context.signal?.aborted) return outcomeOf('cancelled', 'the caller cancelled the request');
  const apiStatus = httpStatusOf(error);
  if (apiStatus !== undefined) return classifyApiError(apiStatus, messageOf(error), error, context);
  if (isTimeout(error)) return outcomeOf('unavailable', `the call timed out: ${messageOf(error)}`);
  // Matched by name so the outcome layer does not depend on the provider: an upload still processing
  // (or failed in processing) is worth another try later, not a permanent failure.
  if (error instanceof Error && error.name === 'FileProcessingError') {
    return outcomeOf('unavailable', `an uploaded file was not usable: ${error.message}`);
  }
  const networkCode = networkCodeOf(error);
  if (networkCode !== undefined || isFetchFailure(error)) {
    return outcomeOf(
      'unavailable',
      `network failure talking to ${context.platform}${networkCode ? ` (${networkCode})` : ''}: ${messageOf(error)}`,
    );
  }
  if (error instanceof SyntaxError) {
    return outcomeOf('unavailable', `the response body was cut off or is not JSON: ${error.message}`);
  }
  // Raised before anything is sent: a credentials problem on this machine, which no retry fixes.
  if (missingAdcMessage.test(messageOf(error))) {
    return outcomeOf(
      'auth_failed',
      `no Application Default Credentials for ${context.platform}: run \`gcloud auth application-default login\`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file (${messageOf(error)})`,
    );
  }
  return outcomeOf('unknown_error', `unexpected error from ${context.platform}: ${messageOf(error)}`);
}

function classifyApiError(
  httpStatus: number,
  rawMessage: string,
  error: unknown,
  context: ErrorContext,
): Outcome {
  const body = parseGoogleErrorBody(rawMessage);
  const canonicalStatus = body?.error.status;
  const serverMessage = body?.error.message || rawMessage;
  const details = { httpStatus, ...(canonicalStatus ? { canonicalStatus } : {}) };
  const where = `${context.modelId} on ${context.platform}`;
  const described = `HTTP ${httpStatus}${canonicalStatus ? ` ${canonicalStatus}` : ''} from ${where}: ${serverMessage}`;

  if (httpStatus === 429) return classifyTooManyRequests(body, error, described, details, context);
  if (serverErrorStatuses.has(httpStatus)) return outcomeOf('unavailable', described, details);
  if (httpStatus === 401 || httpStatus === 403) return outcomeOf('auth_failed', described, details);
  if (httpStatus === 404) return classifyNotFound(described, details, context);
  if (httpStatus === 400 || httpStatus === 413) {
    if (body && errorReasonsOf(body).includes('API_KEY_INVALID'))
      return outcomeOf('auth_failed', described, details);
    if (canonicalStatus === 'FAILED_PRECONDITION') {
      return regionWords.test(serverMessage)
        ? outcomeOf('region_blocked', described, details)
        : outcomeOf('unknown_error', described, details);
    }
    return outcomeOf('invalid_request', described, details);
  }
  return outcomeOf('unknown_error', described, details);
}

function classifyTooManyRequests(
  body: GoogleErrorBody | undefined,
  error: unknown,
  described: string,
  details: { httpStatus: number; canonicalStatus?: string },
  context: ErrorContext,
): Outcome {
  const violations = body ? quotaViolationsOf(body) : [];
  const perDay = violations.find((violation) => violation.perDay);
  if (perDay)
    return outcomeOf('quota_exhausted', `${described} (quota ${perDay.quotaId})`, {
      ...details,
      quota: perDay,
    });
  const retryAfterMs =
    (body ? retryDelayMsOf(body) : undefined) ?? retryAfterHeaderMsOf(error, context.nowMs ?? Date.now());
  const quota = violations[0];
  return outcomeOf('rate_limited', described, {
    ...details,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(quota ? { quota } : {}),
  });
}

function classifyNotFound(
  described: string,
  details: { httpStatus: number; canonicalStatus?: string },
  context: ErrorContext,
): Outcome {
  if (context.isKnownRetired) {
    return outcomeOf(
      'model_retired',
      `${described} (the catalog lists ${context.modelId} as shut down on ${context.platform})`,
      details,
    );
  }
  if (context.hasAnsweredBefore) {
    return outcomeOf(
      'model_retired',
      `${described} (${context.modelId} answered earlier, so it has been switched off)`,
      details,
    );
  }
  const suggestions = context.suggestedModelIds ?? [];
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(' or ')}?` : '';
  return outcomeOf('model_not_found', `${described}${hint}`, details);
}

/** The HTTP status of an SDK `ApiError` (matched by shape, so a second copy of the SDK still counts). */
function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'ApiError') return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterHeaderMsOf(error: unknown, nowMs: number): number | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers;
  let value: unknown;
  if (headers instanceof Headers) value = headers.get('retry-after');
  else if (headers && typeof headers === 'object') {
    const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after');
    value = entry?.[1];
  }
  return typeof value === 'string' ? parseRetryAfterHeaderMs(value, nowMs) : undefined;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed|terminated|network/i.test(error.message);
}

function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && networkErrorCodes.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}
