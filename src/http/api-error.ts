import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ApiErrorType } from '../errors/index.js';
import { MAX_QUOTED_VALUE_CHARS, quoteValue } from './input-limits.js';

export type { ApiErrorType };

export interface ApiErrorBody {
  error: {
    type: ApiErrorType;
    code: string;
    message: string;
    /** The request field at fault (`aspect_ratio`, `images[2]`), or null. */
    param: string | null;
  };
}

/** An error answered to the client as `{error: {type, code, message, param}}` with its HTTP status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: ApiErrorType,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    /** Extra response headers (`Retry-After` on 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get body(): ApiErrorBody {
    return { error: { type: this.type, code: this.code, message: this.message, param: this.param } };
  }
}

export function invalidRequest(message: string, param: string | null, code = 'invalid_value'): ApiError {
  return new ApiError(400, 'invalid_request_error', code, message, param);
}

export function notFound(message: string, code = 'not_found'): ApiError {
  return new ApiError(404, 'not_found_error', code, message);
}

export function tooLarge(message: string, param: string | null): ApiError {
  return new ApiError(413, 'request_too_large', 'payload_too_large', message, param);
}

/** 415: the body is in a type the route does not read. */
export function unsupportedMediaType(contentType: string | undefined, allowed: string): ApiError {
  const sent = contentType ? `"${contentType.slice(0, MAX_QUOTED_VALUE_CHARS)}"` : 'no Content-Type';
  return new ApiError(
    415,
    'unsupported_media_type',
    'unsupported_media_type',
    `The body was sent as ${sent}; this endpoint reads ${allowed}.`,
    'Content-Type',
  );
}

/** A `Retry-After` header in whole seconds (at least 1), rounded up so a client never comes back too early. */
export function retryAfterHeader(retryAfterMs: number): { 'Retry-After': string } {
  return { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
}

/**
 * A 429 `rate_limit_exceeded` with `Retry-After` (see `retryAfterHeader`).
 * @param code the machine-readable reason (default `rate_limit_exceeded`; `monthly_budget_exceeded`…)
 */
export function rateLimited(message: string, retryAfterMs: number, code = 'rate_limit_exceeded'): ApiError {
  return new ApiError(429, 'rate_limit_exceeded', code, message, null, retryAfterHeader(retryAfterMs));
}

export function errorResponse(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(error.body, error.status);
}

/** `images.2.url` → `images[2].url`: the way the field is written in the request body. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/**
 * The first issue of a zod error as a 400 naming the field, what it got and what is allowed.
 * @param input the value that was validated, so the message can quote what was sent (default: not quoted)
 */
export function apiErrorFromZod(error: ZodError, where: string, input?: unknown): ApiError {
  const issue = error.issues[0];
  if (!issue) return invalidRequest(`Invalid ${where}.`, null);
  const param = issue.path.length > 0 ? fieldPath(issue.path) : null;
  const subject = param ? `"${param}"` : `the ${where}`;
  const sent = valueAt(input, issue.path);
  // Quoted short: the value may be 10 MB or nested 10 000 deep.
  const got = sent === undefined ? '' : ` ${quoteValue(sent)}`;
  const allowedValues = allowedValuesOf(issue);
  if (allowedValues) {
    const allowed = allowedValues.map((value) => JSON.stringify(value)).join(', ');
    return invalidRequest(`Invalid ${subject}${got}: allowed values are ${allowed}.`, param);
  }
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.slice(0, 5).map((key) => quoteValue(key));
    const more = issue.keys.length > shown.length ? ` and ${issue.keys.length - shown.length} more` : '';
    const at = param ? ` in ${subject}` : '';
    const first = issue.keys[0]?.slice(0, MAX_QUOTED_VALUE_CHARS);
    return invalidRequest(`Unknown field ${shown.join(', ')}${more}${at}.`, first ?? param, 'unknown_field');
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return invalidRequest(`Missing required field ${subject}.`, param, 'missing_field');
  }
  const reason = issue.message.replace(/^Invalid input: /, '');
  return invalidRequest(`Invalid ${subject}${got}: ${reason}.`, param);
}

/** The values an enum (or a union of enums and literals) allows, or undefined for other issues. */
function allowedValuesOf(issue: ZodError['issues'][number]): unknown[] | undefined {
  if (issue.code === 'invalid_value') return [...issue.values];
  if (issue.code !== 'invalid_union') return undefined;
  const branches = issue.errors.map((branch) => (branch.length === 1 ? branch[0] : undefined));
  if (!branches.every((branch) => branch?.code === 'invalid_value')) return undefined;
  return branches.flatMap((branch) => (branch?.code === 'invalid_value' ? branch.values : []));
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** `defaultHook` for @hono/zod-openapi: a failed validation becomes our 400 instead of the raw zod dump. */
export function validationHook(
  result: { success: true; target: string } | { success: false; target: string; error: ZodError },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const where = result.target === 'json' ? 'request body' : `${result.target} parameters`;
  return errorResponse(c, apiErrorFromZod(result.error, where, inputOf(result)));
}

/** zod-validator passes the raw input as `data` beside a failed result. */
function inputOf(result: object): unknown {
  return 'data' in result ? result.data : undefined;
}
