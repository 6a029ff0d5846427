import {
  detailTypes,
  googleErrorBody,
  type CanonicalStatus,
  type ErrorDetail,
  type ErrorHttpStatus,
  type GoogleErrorBody,
} from './google-error.js';

/**
 * An error a handler raises to answer the call with a Google-shaped error body. The dispatcher turns
 * it into the HTTP response; anything else thrown becomes a 500 INTERNAL.
 */
export class EmulatorApiError extends Error {
  readonly httpStatus: ErrorHttpStatus;
  readonly body: GoogleErrorBody;

  constructor(
    httpStatus: ErrorHttpStatus,
    message: string,
    options: { details?: ErrorDetail[]; status?: CanonicalStatus } = {},
  ) {
    super(message);
    this.name = 'EmulatorApiError';
    this.httpStatus = httpStatus;
    this.body = googleErrorBody(httpStatus, message, options);
  }
}

export function invalidArgument(message: string, details?: ErrorDetail[]): EmulatorApiError {
  return new EmulatorApiError(400, message, details ? { details } : {});
}

/** The real Gemini API's answer for an unknown or shut-down model (reference section 4). */
export function modelNotFound(modelId: string, version: string, verb = 'generateContent'): EmulatorApiError {
  return new EmulatorApiError(
    404,
    `models/${modelId} is not found for API version ${version}, or is not supported for ${verb}. ` +
      'Call ListModels to see the list of available models and their supported methods.',
  );
}

/** Vertex AI's wording for a publisher model that does not exist or is no longer served. */
export function vertexModelNotFound(
  modelId: string,
  project: string | undefined,
  location: string | undefined,
): EmulatorApiError {
  const resource =
    project && location
      ? `projects/${project}/locations/${location}/publishers/google/models/${modelId}`
      : `publishers/google/models/${modelId}`;
  return new EmulatorApiError(
    404,
    `Publisher Model \`${resource}\` was not found or your project does not have access to it. ` +
      'Please ensure you are using a valid model version. For more information, see: ' +
      'https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions',
  );
}

export function missingCredential(): EmulatorApiError {
  return new EmulatorApiError(
    403,
    "Method doesn't allow unregistered callers (callers without established identity). " +
      'Please use API Key or other form of API consumer identity to call this API.',
  );
}

export function invalidApiKey(): EmulatorApiError {
  const message = 'API key not valid. Please pass a valid API key.';
  return new EmulatorApiError(400, message, {
    details: [
      {
        '@type': detailTypes.errorInfo,
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
      { '@type': detailTypes.localizedMessage, locale: 'en-US', message },
    ],
  });
}

export function payloadTooLarge(limitBytes: number): EmulatorApiError {
  return invalidArgument(`Request payload size exceeds the limit: ${limitBytes} bytes.`);
}

/** Google's parser message for a body that is not JSON. */
export function invalidJson(reason: string): EmulatorApiError {
  return invalidArgument(`Invalid JSON payload received. ${reason}`);
}

export function fileNotAccessible(fileId: string): EmulatorApiError {
  return new EmulatorApiError(
    403,
    `You do not have permission to access the File ${fileId} or it may not exist.`,
  );
}

export function pathNotFound(method: string, path: string): EmulatorApiError {
  return new EmulatorApiError(404, `Method ${method} on path ${path} is not served by this API.`);
}

export function internalError(): EmulatorApiError {
  return new EmulatorApiError(
    500,
    'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  );
}

/** One `google.rpc.BadRequest.FieldViolation`; an empty field (the top-level message) is omitted, as proto3 JSON does. */
export interface FieldViolation {
  field: string;
  description: string;
}

/** A BadRequest detail naming the offending fields, as Google attaches to field validation errors. */
export function badRequest(violations: readonly FieldViolation[]): ErrorDetail {
  return {
    '@type': detailTypes.badRequest,
    fieldViolations: violations.map(({ field, description }) => ({
      ...(field === '' ? {} : { field }),
      description,
    })),
  };
}

export function fieldViolation(field: string, description: string): ErrorDetail {
  return badRequest([{ field, description }]);
}
