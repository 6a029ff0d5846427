import type { EmulatorApiError } from './api-errors.js';
import { serializeGoogleError, type GoogleErrorBody } from './google-error.js';
import { sseContentType } from './stream.js';

/** Google pretty-prints JSON bodies with two-space indentation; so does the emulator. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
  });
}

/**
 * An error response. On streaming calls the real server keeps `Content-Type: text/event-stream` for the
 * JSON error body (reference section 4), which the SDK then wraps as a message; the emulator does too.
 */
export function googleErrorResponse(
  httpStatus: number,
  body: GoogleErrorBody,
  options: { streaming?: boolean; headers?: Record<string, string> } = {},
): Response {
  return new Response(serializeGoogleError(body), {
    status: httpStatus,
    headers: {
      'content-type': options.streaming ? sseContentType : 'application/json; charset=UTF-8',
      ...options.headers,
    },
  });
}

export function apiErrorResponse(error: EmulatorApiError, options: { streaming?: boolean } = {}): Response {
  return googleErrorResponse(error.httpStatus, error.body, options);
}
