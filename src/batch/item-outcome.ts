import type { JobError } from '@google/genai';
import { classifyError, type Outcome } from '../outcome/index.js';

/** gRPC status codes a batch item's error may carry, as the HTTP statuses the outcome table reads. */
const httpStatusOfGrpcCode: Readonly<Record<number, number>> = {
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  7: 403,
  8: 429,
  9: 400,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  16: 401,
};

/**
 * The outcome of a batch item's error, by the same table as an online call's error: the item's code is
 * an HTTP status (as the Gemini API writes it) or a gRPC code, both read as the HTTP status.
 */
export function outcomeOfItemError(error: JobError, modelId: string): Outcome {
  const code = error.code ?? 500;
  const status = code >= 100 ? code : (httpStatusOfGrpcCode[code] ?? 500);
  const apiError = Object.assign(new Error(error.message ?? `batch item failed with code ${code}`), {
    name: 'ApiError',
    status,
  });
  return classifyError(apiError, {
    modelId,
    platform: 'gemini-api',
    isKnownRetired: false,
    hasAnsweredBefore: true,
  });
}
