import { describe, expect, it } from 'vitest';
import { errorFault, quotaExceededFault, unsupportedLocationMessage } from './fault-errors.js';

const now = Date.parse('2026-06-26T10:00:45Z');
const call = { modelId: 'models/gemini-3-pro-image', method: 'generateContent' as const, nowMs: now };

describe('quotaExceededFault', () => {
  it('builds the Gemini API 429 body: QuotaFailure, Help, RetryInfo', () => {
    const fault = quotaExceededFault({
      window: 'per-minute',
      modelId: 'gemini-3-pro-image',
      quotaValue: 10,
      retryDelayMs: 14_200,
      retryAfterHeader: false,
    });
    expect(fault).toEqual({
      kind: 'error',
      httpStatus: 429,
      headers: {},
      body: {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message:
            'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [
                {
                  quotaMetric: 'generativelanguage.googleapis.com/generate_requests_per_model',
                  quotaId: 'GenerateRequestsPerMinutePerProjectPerModel',
                  quotaDimensions: { location: 'global', model: 'gemini-3-pro-image' },
                  quotaValue: '10',
                },
              ],
            },
            {
              '@type': 'type.googleapis.com/google.rpc.Help',
              links: [
                {
                  description: 'Learn more about Gemini API quotas',
                  url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
                },
              ],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '15s' },
          ],
        },
      },
    });
  });

  it('names the per-day quota, and sends Retry-After only when asked', () => {
    const fault = quotaExceededFault({
      window: 'per-day',
      quotaValue: 250,
      retryDelayMs: 3_600_000,
      retryAfterHeader: true,
    });
    if (fault.kind !== 'error') throw new Error('expected an error fault');
    expect(fault.body.error.details?.[0]).toMatchObject({
      violations: [
        { quotaId: 'GenerateRequestsPerDayPerProjectPerModel', quotaDimensions: { location: 'global' } },
      ],
    });
    expect(fault.headers).toEqual({ 'Retry-After': '3600' });
  });
});

describe('errorFault', () => {
  it('uses Google wording for 500, 503 and 504', () => {
    const messages = ([500, 503, 504] as const).map((status) => {
      const fault = errorFault({ status }, call);
      return fault.kind === 'error' ? [fault.body.error.status, fault.body.error.message] : undefined;
    });
    expect(messages).toEqual([
      [
        'INTERNAL',
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      ],
      ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
      ['DEADLINE_EXCEEDED', 'The request timed out. Please try again.'],
    ]);
  });

  it('defaults a 429 retry delay to the end of the emulated minute, or none when told', () => {
    const withDefault = errorFault({ status: 429 }, call);
    const withoutDelay = errorFault({ status: 429, retryDelay: 'none', quota: 'per-day' }, call);
    if (withDefault.kind !== 'error' || withoutDelay.kind !== 'error') throw new Error('expected errors');
    expect(withDefault.body.error.details?.at(-1)).toEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '15s',
    });
    expect(withoutDelay.body.error.details?.map((detail) => detail['@type'])).toEqual([
      'type.googleapis.com/google.rpc.QuotaFailure',
      'type.googleapis.com/google.rpc.Help',
    ]);
  });

  it('defaults a per-day 429 retry delay to midnight Pacific', () => {
    const fault = errorFault({ status: 429, quota: 'per-day' }, call);
    if (fault.kind !== 'error') throw new Error('expected an error');
    // 10:00:45 UTC is 03:00:45 PDT; midnight Pacific is 20 h 59 min 15 s away.
    expect(fault.body.error.details?.at(-1)).toMatchObject({ retryDelay: `${20 * 3600 + 59 * 60 + 15}s` });
  });

  it('adds Retry-After and a custom message when the spec says so', () => {
    const fault = errorFault({ status: 503, retryAfter: '30s', message: 'Down for maintenance' }, call);
    expect(fault).toMatchObject({
      httpStatus: 503,
      headers: { 'Retry-After': '30' },
      body: { error: { message: 'Down for maintenance' } },
    });
  });

  it('says a model is not found the way the API does', () => {
    const fault = errorFault({ status: 404 }, call);
    if (fault.kind !== 'error') throw new Error('expected an error');
    expect(fault.body.error.message).toBe(
      'models/gemini-3-pro-image is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
    );
  });

  it("answers a 400 marked precondition as FAILED_PRECONDITION about the caller's location", () => {
    const fault = errorFault({ status: 400, precondition: true }, call);
    expect(fault).toMatchObject({
      kind: 'error',
      httpStatus: 400,
      body: { error: { code: 400, status: 'FAILED_PRECONDITION', message: unsupportedLocationMessage } },
    });
  });
});
