/**
 * Errors in Google's JSON shape (`google.rpc.Status`): `{"error":{code,message,status,details}}`, with
 * the HTTP status and the canonical status string that belong together.
 */

export const canonicalStatusByHttpStatus = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
} as const;

export type ErrorHttpStatus = keyof typeof canonicalStatusByHttpStatus;
export type CanonicalStatus = (typeof canonicalStatusByHttpStatus)[ErrorHttpStatus] | 'FAILED_PRECONDITION';

/** One entry of `error.details`, tagged with its protobuf type URL. */
export interface ErrorDetail {
  '@type': string;
  [field: string]: unknown;
}

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    details?: ErrorDetail[];
  };
}

export function googleErrorBody(
  httpStatus: ErrorHttpStatus,
  message: string,
  options: { details?: ErrorDetail[]; status?: CanonicalStatus } = {},
): GoogleErrorBody {
  return {
    error: {
      code: httpStatus,
      message,
      status: options.status ?? canonicalStatusByHttpStatus[httpStatus],
      ...(options.details && options.details.length > 0 ? { details: options.details } : {}),
    },
  };
}

/** Google pretty-prints error bodies with two-space indentation; match it byte for byte. */
export function serializeGoogleError(body: GoogleErrorBody): string {
  return JSON.stringify(body, null, 2);
}

export const detailTypes = {
  quotaFailure: 'type.googleapis.com/google.rpc.QuotaFailure',
  retryInfo: 'type.googleapis.com/google.rpc.RetryInfo',
  help: 'type.googleapis.com/google.rpc.Help',
  errorInfo: 'type.googleapis.com/google.rpc.ErrorInfo',
  localizedMessage: 'type.googleapis.com/google.rpc.LocalizedMessage',
  debugInfo: 'type.googleapis.com/google.rpc.DebugInfo',
  badRequest: 'type.googleapis.com/google.rpc.BadRequest',
} as const;
