import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ApiErrorDetails {
  /** `invalid_request_error`, `authentication_error`, `rate_limit_exceeded`… */
  type: string;
  /** A stable machine-readable reason (`invalid_api_key`, `budget_exceeded`…). */
  code: string;
  message: string;
  /** The request field at fault, or null. Default: null. */
  param?: string | null;
}

/**
 * Answers `{error: {type, code, message, param}}` with the status and any extra headers (`Retry-After`,
 * `WWW-Authenticate`). The same shape as OpenAI's errors, so OpenAI-style clients read it as they are.
 */
export function apiError(
  c: Context,
  status: number,
  error: ApiErrorDetails,
  headers: Record<string, string> = {},
): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(
    { error: { type: error.type, code: error.code, message: error.message, param: error.param ?? null } },
    status as ContentfulStatusCode,
  );
}
