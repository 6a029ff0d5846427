/** The `type` of an HTTP error body; the names clients of OpenAI-style APIs already switch on. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'request_too_large'
  | 'rate_limit_exceeded'
  | 'unsupported_media_type'
  | 'service_unavailable'
  | 'api_error';
