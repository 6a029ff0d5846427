import { bareModelId } from '../../catalog/index.js';
import { detailTypes, googleErrorBody, type ErrorDetail, type ErrorHttpStatus } from '../google-error.js';
import type { EmulatedMethod } from './call-context.js';
import { formatRetryDelay, parseDurationMs, retryAfterSeconds } from './duration.js';
import type { InjectedFault } from './fault-kinds.js';
import { nextPacificMidnightMs } from './pacific-day.js';
import type { ErrorSpec, QuotaWindow } from './scenario-schema.js';

export const quotaExceededMessage =
  'You exceeded your current quota, please check your plan and billing details. For more information on ' +
  'this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.';

/** What the Gemini API says to a caller in a region it does not serve (400 FAILED_PRECONDITION). */
export const unsupportedLocationMessage = 'User location is not supported for the API use.';

/** What Google says for each status when a scenario gives no message of its own. */
export const defaultErrorMessages: Record<ErrorHttpStatus, string> = {
  400: 'Request contains an invalid argument.',
  401: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  409: 'Requested entity already exists',
  413: 'Request payload size exceeds the limit.',
  429: quotaExceededMessage,
  499: 'The operation was cancelled.',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  501: 'Operation is not implemented, or supported, or enabled.',
  503: 'The model is overloaded. Please try again later.',
  504: 'The request timed out. Please try again.',
};

/** The quota IDs and metrics real Gemini API 429s name in their QuotaFailure. */
const quotaNames: Record<QuotaWindow, { quotaMetric: string; quotaId: string }> = {
  'per-minute': {
    quotaMetric: 'generativelanguage.googleapis.com/generate_requests_per_model',
    quotaId: 'GenerateRequestsPerMinutePerProjectPerModel',
  },
  'per-day': {
    quotaMetric: 'generativelanguage.googleapis.com/generate_requests_per_model_per_day',
    quotaId: 'GenerateRequestsPerDayPerProjectPerModel',
  },
};

/** Limits reported by a scripted or random 429 that names none. */
const defaultQuotaValues: Record<QuotaWindow, number> = { 'per-minute': 10, 'per-day': 250 };

export interface QuotaExceeded {
  window: QuotaWindow;
  modelId?: string;
  /** The limit that was hit, reported as `quotaValue`. */
  quotaValue: number;
  /** The RetryInfo delay; `undefined` leaves RetryInfo out. */
  retryDelayMs: number | undefined;
  /** Also send the delay as `Retry-After` (real Gemini does not). */
  retryAfterHeader: boolean;
}

/** A 429 RESOURCE_EXHAUSTED shaped like the Gemini API's: QuotaFailure, Help, then RetryInfo. */
export function quotaExceededFault(quota: QuotaExceeded): InjectedFault {
  const model = quota.modelId === undefined ? undefined : bareModelId(quota.modelId);
  const details: ErrorDetail[] = [
    {
      '@type': detailTypes.quotaFailure,
      violations: [
        {
          ...quotaNames[quota.window],
          quotaDimensions: { location: 'global', ...(model === undefined ? {} : { model }) },
          quotaValue: String(quota.quotaValue),
        },
      ],
    },
    {
      '@type': detailTypes.help,
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
  ];
  if (quota.retryDelayMs !== undefined) {
    details.push({ '@type': detailTypes.retryInfo, retryDelay: formatRetryDelay(quota.retryDelayMs) });
  }
  const headers: Record<string, string> =
    quota.retryAfterHeader && quota.retryDelayMs !== undefined
      ? { 'Retry-After': String(retryAfterSeconds(quota.retryDelayMs)) }
      : {};
  return {
    kind: 'error',
    httpStatus: 429,
    body: googleErrorBody(429, quotaExceededMessage, { details }),
    headers,
  };
}

/** The default RetryInfo delay of a 429 that names none: when the emulated minute or Pacific day ends. */
export function defaultQuotaRetryDelayMs(window: QuotaWindow, nowMs: number): number {
  return window === 'per-minute' ? 60_000 - (nowMs % 60_000) : nextPacificMidnightMs(nowMs) - nowMs;
}

/** The fault a scenario error spec (error rule, outage or scripted step) describes. */
export function errorFault(
  spec: ErrorSpec,
  call: { modelId?: string; method: EmulatedMethod; nowMs: number },
): InjectedFault {
  if (spec.status === 429) {
    const window = spec.quota ?? 'per-minute';
    const retryDelayMs =
      spec.retryDelay === 'none'
        ? undefined
        : spec.retryDelay === undefined
          ? defaultQuotaRetryDelayMs(window, call.nowMs)
          : parseDurationMs(spec.retryDelay);
    const fault = quotaExceededFault({
      window,
      modelId: call.modelId,
      quotaValue: spec.quotaValue ?? defaultQuotaValues[window],
      retryDelayMs,
      retryAfterHeader: false,
    });
    if (fault.kind === 'error') {
      if (spec.message !== undefined) fault.body.error.message = spec.message;
      Object.assign(fault.headers, retryAfterHeader(spec.retryAfter));
    }
    return fault;
  }
  if (spec.precondition) {
    return {
      kind: 'error',
      httpStatus: spec.status,
      body: googleErrorBody(spec.status, spec.message ?? unsupportedLocationMessage, {
        status: 'FAILED_PRECONDITION',
      }),
      headers: retryAfterHeader(spec.retryAfter),
    };
  }
  return {
    kind: 'error',
    httpStatus: spec.status,
    body: googleErrorBody(spec.status, spec.message ?? defaultMessage(spec.status, call)),
    headers: retryAfterHeader(spec.retryAfter),
  };
}

function defaultMessage(status: ErrorHttpStatus, call: { modelId?: string; method: EmulatedMethod }): string {
  if (status === 404 && call.modelId !== undefined && !call.method.includes('.')) {
    return (
      `models/${bareModelId(call.modelId)} is not found for API version v1beta, or is not supported for ` +
      `${call.method}. Call ListModels to see the list of available models and their supported methods.`
    );
  }
  return defaultErrorMessages[status];
}

function retryAfterHeader(retryAfter: string | undefined): Record<string, string> {
  return retryAfter === undefined
    ? {}
    : { 'Retry-After': String(retryAfterSeconds(parseDurationMs(retryAfter))) };
}
