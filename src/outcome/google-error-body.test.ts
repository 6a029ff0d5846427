import { describe, expect, it } from 'vitest';
import {
  errorReasonsOf,
  parseGoogleErrorBody,
  quotaViolationsOf,
  retryDelayMsOf,
} from './google-error-body.js';

const quotaBody = (quotaId: string, retryDelay?: unknown) =>
  JSON.stringify(
    {
      error: {
        code: 429,
        message: 'You exceeded your current quota, please check your plan and billing details.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
                quotaId,
                quotaDimensions: { location: 'global', model: 'some-model' },
                quotaValue: '10',
              },
            ],
          },
          { '@type': 'type.googleapis.com/google.rpc.Help', links: [] },
          ...(retryDelay === undefined
            ? []
            : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }]),
        ],
      },
    },
    null,
    2,
  );

describe('parseGoogleErrorBody', () => {
  it('parses the pretty-printed body the SDK puts in ApiError.message', () => {
    const body = parseGoogleErrorBody(quotaBody('GenerateRequestsPerMinutePerProjectPerModel', '15s'));
    expect(body?.error.code).toBe(429);
    expect(body?.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body?.error.details).toHaveLength(3);
  });

  it('returns undefined for text that is not a Google error body', () => {
    expect(parseGoogleErrorBody('upstream connect error')).toBeUndefined();
    expect(parseGoogleErrorBody('{"unexpected":true}')).toBeUndefined();
    expect(parseGoogleErrorBody('{"error":{"details":"not a list"}}')).toBeUndefined();
  });

  it('drops a detail without @type and keeps the rest', () => {
    const body = JSON.parse(quotaBody('GenerateRequestsPerDayPerProjectPerModel', '15s')) as {
      error: { details: unknown[] };
    };
    body.error.details.unshift({ note: 'no type' }, 'not even an object');
    const parsed = parseGoogleErrorBody(JSON.stringify(body));
    expect(parsed?.error.details).toHaveLength(3);
    expect(retryDelayMsOf(parsed!)).toBe(15_000);
  });

  it('accepts the wrapper the SDK builds around non-JSON error bodies', () => {
    const body = parseGoogleErrorBody(
      '{"error":{"message":"slow down","code":429,"status":"Too Many Requests"}}',
    );
    expect(body?.error.message).toBe('slow down');
    expect(body?.error.details).toEqual([]);
  });
});

describe('retryDelayMsOf', () => {
  it('reads RetryInfo.retryDelay as a Duration string', () => {
    expect(retryDelayMsOf(parseGoogleErrorBody(quotaBody('PerMinute', '15s'))!)).toBe(15_000);
    expect(retryDelayMsOf(parseGoogleErrorBody(quotaBody('PerMinute', '2.5s'))!)).toBe(2_500);
  });

  it('reads the proto-shaped {seconds, nanos} form', () => {
    const body = parseGoogleErrorBody(quotaBody('PerMinute', { seconds: '3', nanos: 500_000_000 }))!;
    expect(retryDelayMsOf(body)).toBe(3_500);
  });

  it('is undefined without RetryInfo or with an unreadable delay', () => {
    expect(retryDelayMsOf(parseGoogleErrorBody(quotaBody('PerMinute'))!)).toBeUndefined();
    expect(retryDelayMsOf(parseGoogleErrorBody(quotaBody('PerMinute', 'soon'))!)).toBeUndefined();
  });
});

describe('quotaViolationsOf', () => {
  it('marks per-day quota IDs', () => {
    const body = parseGoogleErrorBody(quotaBody('GenerateRequestsPerDayPerProjectPerModel-FreeTier'))!;
    expect(quotaViolationsOf(body)).toEqual([
      { quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaValue: '10', perDay: true },
    ]);
  });

  it('leaves per-minute quota IDs retryable', () => {
    const body = parseGoogleErrorBody(quotaBody('GenerateRequestsPerMinutePerProjectPerModel'))!;
    expect(quotaViolationsOf(body)[0]?.perDay).toBe(false);
  });
});

describe('errorReasonsOf', () => {
  it('lists ErrorInfo reasons', () => {
    const body = parseGoogleErrorBody(
      JSON.stringify({
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'API_KEY_INVALID',
              domain: 'googleapis.com',
            },
          ],
        },
      }),
    )!;
    expect(errorReasonsOf(body)).toEqual(['API_KEY_INVALID']);
  });
});
