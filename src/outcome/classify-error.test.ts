import { ApiError } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { classifyError, type ErrorContext } from './classify-error.js';

const context: ErrorContext = {
  modelId: 'gemini-3.1-flash-image',
  platform: 'gemini-api',
  isKnownRetired: false,
  hasAnsweredBefore: false,
};

function apiError(status: number, canonical: string, message: string, details: object[] = []): ApiError {
  return new ApiError({
    status,
    message: JSON.stringify({ error: { code: status, message, status: canonical, details } }, null, 2),
  });
}

const quotaFailure = (quotaId: string) => ({
  '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
  violations: [
    { quotaMetric: 'generativelanguage.googleapis.com/generate_requests', quotaId, quotaValue: '10' },
  ],
});
const retryInfo = (retryDelay: string) => ({
  '@type': 'type.googleapis.com/google.rpc.RetryInfo',
  retryDelay,
});

describe('classifyError', () => {
  it('reads an upload that never became ACTIVE as unavailable (transient)', () => {
    const error = Object.assign(new Error('Uploaded file files/x was still PROCESSING'), {
      name: 'FileProcessingError',
    });
    const outcome = classifyError(error, context);
    expect(outcome.kind).toBe('unavailable');
    expect(outcome.retryable).toBe(true);
  });

  it('reads a per-minute 429 as rate_limited with the server delay', () => {
    const outcome = classifyError(
      apiError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota', [
        quotaFailure('GenerateRequestsPerMinutePerProjectPerModel'),
        retryInfo('15s'),
      ]),
      context,
    );
    expect(outcome).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      fallbackEligible: true,
      retryAfterMs: 15_000,
      httpStatus: 429,
      canonicalStatus: 'RESOURCE_EXHAUSTED',
      quota: { quotaId: 'GenerateRequestsPerMinutePerProjectPerModel', perDay: false, quotaValue: '10' },
    });
  });

  it('reads a 429 without details as rate_limited without a server delay', () => {
    const outcome = classifyError(apiError(429, 'RESOURCE_EXHAUSTED', 'slow down'), context);
    expect(outcome.kind).toBe('rate_limited');
    expect(outcome.retryAfterMs).toBeUndefined();
  });

  it('honours a Retry-After header when the error carries one', () => {
    const error = Object.assign(apiError(429, 'RESOURCE_EXHAUSTED', 'slow down'), {
      headers: { 'Retry-After': '7' },
    });
    expect(classifyError(error, context).retryAfterMs).toBe(7_000);
  });

  it('reads a per-day QuotaFailure as quota_exhausted: no retry, fallback allowed', () => {
    const outcome = classifyError(
      apiError(429, 'RESOURCE_EXHAUSTED', 'quota', [
        quotaFailure('GenerateRequestsPerDayPerProjectPerModel-FreeTier'),
        retryInfo('30s'),
      ]),
      context,
    );
    expect(outcome).toMatchObject({ kind: 'quota_exhausted', retryable: false, fallbackEligible: true });
    expect(outcome.quota?.perDay).toBe(true);
    expect(outcome.message).toContain('GenerateRequestsPerDayPerProjectPerModel-FreeTier');
  });

  it.each([500, 502, 503, 504])('reads HTTP %d as unavailable', (status) => {
    expect(classifyError(apiError(status, 'UNAVAILABLE', 'The model is overloaded.'), context)).toMatchObject(
      {
        kind: 'unavailable',
        retryable: true,
        httpStatus: status,
      },
    );
  });

  it('reads a 404 for a model the catalog retired as model_retired', () => {
    const outcome = classifyError(apiError(404, 'NOT_FOUND', 'models/x is not found'), {
      ...context,
      isKnownRetired: true,
    });
    expect(outcome).toMatchObject({ kind: 'model_retired', retryable: false, fallbackEligible: true });
  });

  it('reads a 404 for a model that answered before as model_retired', () => {
    const outcome = classifyError(apiError(404, 'NOT_FOUND', 'not found'), {
      ...context,
      hasAnsweredBefore: true,
    });
    expect(outcome.kind).toBe('model_retired');
    expect(outcome.message).toContain('answered earlier');
  });

  it('reads a 404 for an unknown ID as model_not_found and suggests near IDs', () => {
    const outcome = classifyError(apiError(404, 'NOT_FOUND', 'not found'), {
      ...context,
      modelId: 'gemini-3.1-flash-imag',
      suggestedModelIds: ['gemini-3.1-flash-image'],
    });
    expect(outcome).toMatchObject({ kind: 'model_not_found', retryable: false, fallbackEligible: false });
    expect(outcome.message).toContain('did you mean gemini-3.1-flash-image?');
  });

  it('reads 400 INVALID_ARGUMENT as invalid_request', () => {
    const outcome = classifyError(
      apiError(400, 'INVALID_ARGUMENT', 'imageSize must be one of 1K, 2K, 4K'),
      context,
    );
    expect(outcome).toMatchObject({ kind: 'invalid_request', retryable: false, fallbackEligible: false });
    expect(outcome.message).toContain('imageSize must be one of');
  });

  it('reads API_KEY_INVALID as auth_failed even though it is a 400', () => {
    const outcome = classifyError(
      apiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
      ]),
      context,
    );
    expect(outcome.kind).toBe('auth_failed');
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'PERMISSION_DENIED'],
  ])('reads %d as auth_failed', (status, canonical) => {
    expect(classifyError(apiError(status, canonical, 'no'), context).kind).toBe('auth_failed');
  });

  it('reads FAILED_PRECONDITION about location as region_blocked', () => {
    const outcome = classifyError(
      apiError(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
      context,
    );
    expect(outcome).toMatchObject({ kind: 'region_blocked', fallbackEligible: true, retryable: false });
  });

  it('reads missing Application Default Credentials as auth_failed, with the command that fixes it', () => {
    const adcError = new Error(
      'Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.',
    );
    const outcome = classifyError(adcError, { ...context, platform: 'vertex-ai' });
    expect(outcome).toMatchObject({ kind: 'auth_failed', retryable: false, fallbackEligible: false });
    expect(outcome.message).toContain('gcloud auth application-default login');
  });

  it('keeps other FAILED_PRECONDITION errors permanent', () => {
    const outcome = classifyError(apiError(400, 'FAILED_PRECONDITION', 'Billing is not enabled.'), context);
    expect(outcome).toMatchObject({ kind: 'unknown_error', retryable: false, fallbackEligible: false });
  });

  it('reads a fetch failure with ECONNRESET as unavailable', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    const outcome = classifyError(error, context);
    expect(outcome.kind).toBe('unavailable');
    expect(outcome.message).toContain('ECONNRESET');
  });

  it('reads a truncated JSON body as unavailable', () => {
    let syntaxError: unknown;
    try {
      JSON.parse('{"candidates":[{"content":');
    } catch (error) {
      syntaxError = error;
    }
    expect(classifyError(syntaxError, context).kind).toBe('unavailable');
  });

  it('reads an abort without a cancelled caller signal as a timeout (unavailable)', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyError(timeout, context).kind).toBe('unavailable');
    const signal = new AbortController().signal;
    expect(classifyError(new DOMException('aborted', 'AbortError'), { ...context, signal }).kind).toBe(
      'unavailable',
    );
  });

  it('reads anything while the caller signal is aborted as cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = classifyError(new DOMException('aborted', 'AbortError'), {
      ...context,
      signal: controller.signal,
    });
    expect(outcome).toMatchObject({ kind: 'cancelled', retryable: false, fallbackEligible: false });
  });

  it('keeps unknown errors permanent', () => {
    expect(classifyError(new Error('boom'), context)).toMatchObject({
      kind: 'unknown_error',
      retryable: false,
      fallbackEligible: false,
    });
    expect(classifyError(apiError(418, 'UNKNOWN', 'teapot'), context).kind).toBe('unknown_error');
  });

  it('keeps a non-JSON SDK message readable', () => {
    const error = new ApiError({ status: 503, message: 'upstream connect error' });
    expect(classifyError(error, context).message).toContain('upstream connect error');
  });
});
