import { z } from 'zod';
import { parseRetryDelayMs } from './retry-delay.js';

/**
 * The `google.rpc.Status` body of an API error, which the SDK hands over as the JSON string in
 * `ApiError.message`. Only the fields classification reads are validated; unknown fields are kept.
 */
const errorDetailSchema = z.looseObject({ '@type': z.string() });

/**
 * Keeps the details that carry a type and drops the rest: one odd entry must not cost the status,
 * RetryInfo and QuotaFailure the other entries carry.
 */
const errorDetailsSchema = z
  .array(z.unknown())
  .default([])
  .transform((details) =>
    details.flatMap((detail) => {
      const parsed = errorDetailSchema.safeParse(detail);
      return parsed.success ? [parsed.data] : [];
    }),
  );

export const googleErrorBodySchema = z.object({
  error: z.looseObject({
    code: z.number().int().optional(),
    message: z.string().default(''),
    /** Canonical code name; for non-JSON error bodies the SDK puts the HTTP status text here. */
    status: z.string().optional(),
    details: errorDetailsSchema,
  }),
});
export type GoogleErrorBody = z.infer<typeof googleErrorBodySchema>;

const quotaFailureSchema = z.object({
  violations: z
    .array(
      z.looseObject({
        quotaId: z.string().optional(),
        quotaMetric: z.string().optional(),
        quotaValue: z.union([z.string(), z.number()]).optional(),
        subject: z.string().optional(),
        description: z.string().optional(),
      }),
    )
    .default([]),
});

/** RetryInfo.retryDelay is a Duration: JSON `"15s"`, or `{seconds, nanos}` from proto-shaped producers. */
const retryInfoSchema = z.object({
  retryDelay: z.union([
    z.string(),
    z.object({
      seconds: z.union([z.string(), z.number()]).optional(),
      nanos: z.number().optional(),
    }),
  ]),
});

const errorInfoSchema = z.object({ reason: z.string().optional() });

/** Parses an SDK error message into the Google error body, or `undefined` when it is not one. */
export function parseGoogleErrorBody(message: string): GoogleErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return undefined;
  }
  const parsed = googleErrorBodySchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

function detailsOfType(body: GoogleErrorBody, typeSuffix: string): Record<string, unknown>[] {
  return body.error.details.filter((detail) => detail['@type'].endsWith(`google.rpc.${typeSuffix}`));
}

/** The server's requested delay from the `RetryInfo` detail, in milliseconds. */
export function retryDelayMsOf(body: GoogleErrorBody): number | undefined {
  for (const detail of detailsOfType(body, 'RetryInfo')) {
    const parsed = retryInfoSchema.safeParse(detail);
    if (!parsed.success) continue;
    const delay = parsed.data.retryDelay;
    if (typeof delay === 'string') {
      const delayMs = parseRetryDelayMs(delay);
      if (delayMs !== undefined) return delayMs;
      continue;
    }
    const seconds = Number(delay.seconds ?? 0);
    if (Number.isFinite(seconds) && seconds >= 0)
      return Math.round(seconds * 1000 + (delay.nanos ?? 0) / 1e6);
  }
  return undefined;
}

export interface QuotaViolation {
  quotaId: string;
  quotaValue?: string;
  /** Per-day quotas (`…PerDay…`) do not come back within a retry budget. */
  perDay: boolean;
}

/** Every violation listed in `QuotaFailure` details that names a quota ID. */
export function quotaViolationsOf(body: GoogleErrorBody): QuotaViolation[] {
  return detailsOfType(body, 'QuotaFailure').flatMap((detail) => {
    const parsed = quotaFailureSchema.safeParse(detail);
    if (!parsed.success) return [];
    return parsed.data.violations.flatMap((violation) => {
      const quotaId = violation.quotaId ?? violation.quotaMetric ?? violation.subject;
      if (!quotaId) return [];
      return [
        {
          quotaId,
          ...(violation.quotaValue !== undefined ? { quotaValue: String(violation.quotaValue) } : {}),
          perDay: /per\s*day/i.test(quotaId),
        },
      ];
    });
  });
}

/** `ErrorInfo.reason` values, e.g. `API_KEY_INVALID`. */
export function errorReasonsOf(body: GoogleErrorBody): string[] {
  return detailsOfType(body, 'ErrorInfo').flatMap((detail) => {
    const parsed = errorInfoSchema.safeParse(detail);
    return parsed.success && parsed.data.reason ? [parsed.data.reason] : [];
  });
}
