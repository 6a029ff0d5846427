import { z } from 'zod';
import { imageSizeSchema, platformSchema } from '../../catalog/index.js';
import { canonicalStatusByHttpStatus, type ErrorHttpStatus } from '../google-error.js';
import { emulatedMethodSchema } from './call-context.js';
import { durationPattern } from './duration.js';
import { blockReasons, blockedFinishReasons } from './fault-kinds.js';
import { patternProblem } from './regex-pattern.js';

/**
 * The scenario file: what the emulator does besides answering normally. Every key is optional; an empty
 * file is the well-behaved emulator. Objects are strict so that a misspelt key is an error, not a rule that
 * silently never fires. Defaults are written out so that GET /_emulator/scenario shows the whole truth.
 */

const errorHttpStatuses = Object.keys(canonicalStatusByHttpStatus).map(Number) as ErrorHttpStatus[];

export const errorHttpStatusSchema = z.literal(errorHttpStatuses as [ErrorHttpStatus, ...ErrorHttpStatus[]], {
  error: `expected an HTTP error status, one of ${errorHttpStatuses.join(', ')}`,
});

const durationSchema = z
  .string()
  .regex(durationPattern, 'expected a duration: a number and a unit (ms, s, m, h), e.g. "15s"');

const instantSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'expected an ISO 8601 instant such as "2026-06-26T00:00:00Z" or a date such as "2026-06-26"',
});

/** A JavaScript regular expression matched against the prompt; a leading `(?i)` makes it case-insensitive. */
const patternSchema = z
  .string()
  .min(1)
  .superRefine((pattern, context) => {
    const problem = patternProblem(pattern);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** YAML reads an unquoted `512` as a number; the API spells that size as the string "512". */
const scenarioImageSizeSchema = z.union([imageSizeSchema, z.literal(512).transform(() => '512' as const)], {
  error: `expected an image size, one of ${imageSizeSchema.options.join(', ')}`,
});

const rateSchema = z.number().min(0, 'expected a rate from 0 to 1').max(1, 'expected a rate from 0 to 1');

/** Which calls a rule applies to. */
const targetShape = {
  /** A model ID, an alias, `*` for every model, or a glob such as `gemini-3*` (default `*`). */
  model: z.string().min(1).default('*'),
  /** Only calls on this platform (default: both). */
  platform: platformSchema.optional(),
  /** The methods the rule applies to, or `*` (default: generateContent and streamGenerateContent). */
  methods: z.union([z.literal('*'), z.array(emulatedMethodSchema).min(1)]).optional(),
  /** Only calls whose prompt matches (default: every prompt). */
  pattern: patternSchema.optional(),
  /** Only calls made with this API key (default: any caller). */
  apiKey: z.string().min(1).optional(),
};

const quotaWindowSchema = z.enum(['per-minute', 'per-day']);
export type QuotaWindow = z.infer<typeof quotaWindowSchema>;

/** How a refused call is answered. */
const errorShape = {
  status: errorHttpStatusSchema,
  /** The error message (default: what Google says for that status). */
  message: z.string().min(1).optional(),
  /** For 429: which quota the QuotaFailure names (default per-minute). */
  quota: quotaWindowSchema.optional(),
  /** For 429: the limit the QuotaFailure reports (default 10 per minute, 250 per day). */
  quotaValue: z.number().int().nonnegative().optional(),
  /**
   * For 429: the RetryInfo delay, or `none` to leave RetryInfo out (default: until the next whole
   * emulated minute for per-minute, until midnight Pacific for per-day).
   */
  retryDelay: z.union([durationSchema, z.literal('none')]).optional(),
  /** Adds a `Retry-After` header with this delay (default: none, as real Gemini puts it in the body). */
  retryAfter: durationSchema.optional(),
  /**
   * For 400: answer FAILED_PRECONDITION instead of INVALID_ARGUMENT, as Gemini does for a caller in an
   * unsupported region ("User location is not supported for the API use.").
   */
  precondition: z.literal(true).optional(),
};

function refineQuotaFields(
  error: {
    status?: number;
    quota?: unknown;
    quotaValue?: unknown;
    retryDelay?: unknown;
    precondition?: unknown;
  },
  context: z.core.$RefinementCtx,
): void {
  if (error.precondition !== undefined && error.status !== 400) {
    context.addIssue({
      code: 'custom',
      path: ['precondition'],
      message: `precondition is only allowed with status 400, not with ${error.status ?? 'no status'}`,
    });
  }
  for (const field of ['quota', 'quotaValue', 'retryDelay'] as const) {
    if (error[field] !== undefined && error.status !== 429) {
      context.addIssue({
        code: 'custom',
        path: [field],
        message: `${field} is only allowed with status 429, not with ${error.status ?? 'no status'}`,
      });
    }
  }
}

export const networkFaultSchema = z.enum(['connection-reset', 'truncated-body']);

/** `IMAGE_SAFETY`, `NO_IMAGE`, … (a candidate without an image) or `block-prompt:SAFETY`, … (no candidate). */
export const verdictSchema = z.enum(
  [...blockedFinishReasons, ...blockReasons.map((reason) => `block-prompt:${reason}` as const)],
  {
    error: `expected a finish reason (${blockedFinishReasons.join(', ')}) or block-prompt:<reason> with reason one of ${blockReasons.join(', ')}`,
  },
);
export type VerdictName = z.infer<typeof verdictSchema>;

const latencyProfileSchema = z
  .strictObject({
    medianMs: z.number().nonnegative(),
    /** The 95th percentile; at least the median. */
    p95Ms: z.number().nonnegative(),
  })
  .refine((profile) => profile.p95Ms >= profile.medianMs, {
    path: ['p95Ms'],
    message: 'p95Ms must be at least medianMs',
  });

const latencySchema = z.strictObject({
  /** Multiplies every sampled latency; 0 answers at once (default 1). */
  scale: z.number().nonnegative().default(1),
  /** Latency of models not listed under `models` (default 0 ms, 0 ms). */
  default: latencyProfileSchema.default({ medianMs: 0, p95Ms: 0 }),
  /** Per model ID, alias or glob; the first matching entry wins (default none). */
  models: z.record(z.string().min(1), latencyProfileSchema).default({}),
});

const streamPacingSchema = z.strictObject({
  /** Time to first chunk: the wait before the first event of a stream, in ms (default 0). */
  firstChunkMs: z.number().nonnegative().default(0),
  /** The wait between two events of a stream, in ms (default 0). */
  chunkGapMs: z.number().nonnegative().default(0),
});

const streamingSchema = z.strictObject({
  /** Pacing of models not listed under `models` (default none: events follow each other at once). */
  default: streamPacingSchema.prefault({}),
  /** Per model ID, alias or glob; the first matching entry wins (default none). */
  models: z.record(z.string().min(1), streamPacingSchema).default({}),
});

const quotaRuleSchema = z
  .strictObject({
    model: targetShape.model,
    platform: targetShape.platform,
    methods: targetShape.methods,
    apiKey: targetShape.apiKey,
    /** Requests per minute, in a sliding 60 s window of emulated time. */
    rpm: z.number().int().positive().optional(),
    /** Requests per day, the day running from midnight to midnight Pacific in emulated time. */
    rpd: z.number().int().positive().optional(),
    /** Overrides the computed RetryInfo delay, or `none` to leave it out. */
    retryDelay: z.union([durationSchema, z.literal('none')]).optional(),
    /** Also sends the delay as a `Retry-After` header (default false). */
    retryAfterHeader: z.boolean().default(false),
  })
  .refine((rule) => rule.rpm !== undefined || rule.rpd !== undefined, {
    message: 'a quota needs rpm, rpd or both',
  });

const errorRuleSchema = z
  .strictObject({ ...targetShape, ...errorShape, rate: rateSchema })
  .superRefine(refineQuotaFields);

const outageRuleSchema = z
  .strictObject({
    ...targetShape,
    /** Start of the window in emulated time, inclusive. */
    from: instantSchema,
    /** End of the window in emulated time, exclusive. */
    until: instantSchema,
    ...errorShape,
    status: errorHttpStatusSchema.default(503),
  })
  .superRefine(refineQuotaFields)
  .refine((outage) => instantMs(outage.from) < instantMs(outage.until), {
    path: ['until'],
    message: 'until must be later than from',
  });

const networkRuleSchema = z.strictObject({ ...targetShape, fault: networkFaultSchema, rate: rateSchema });

const safetyRuleSchema = z.strictObject({
  ...targetShape,
  verdict: verdictSchema,
  /** Share of matching calls that get the verdict (default 1). */
  rate: rateSchema.default(1),
});

const downgradeRuleSchema = z
  .strictObject({
    ...targetShape,
    /** The requested size this rule applies to. */
    from: scenarioImageSizeSchema,
    /** The size actually served instead. */
    to: scenarioImageSizeSchema,
    /** Share of matching calls that are downgraded (default 1). */
    rate: rateSchema.default(1),
  })
  .refine((rule) => rule.from !== rule.to, { path: ['to'], message: 'to must differ from from' });

const scriptedObjectSchema = z
  .strictObject({
    ...errorShape,
    status: errorHttpStatusSchema.optional(),
    fault: networkFaultSchema.optional(),
    verdict: verdictSchema.optional(),
    /** Serve this image size whatever was asked (a silent downgrade). */
    servedImageSize: scenarioImageSizeSchema.optional(),
  })
  .superRefine((step, context) => {
    const kinds = (['status', 'fault', 'verdict', 'servedImageSize'] as const).filter(
      (key) => step[key] !== undefined,
    );
    if (kinds.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `a scripted response needs exactly one of status, fault, verdict, servedImageSize; got ${kinds.length === 0 ? 'none' : kinds.join(', ')}`,
      });
    }
    for (const field of ['message', 'retryAfter'] as const) {
      if (step[field] !== undefined && step.status === undefined) {
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} is only allowed with a status`,
        });
      }
    }
    refineQuotaFields(step, context);
  });

/** One answer of a scripted sequence. */
export const scriptedStepSchema = z.union(
  [z.literal('ok'), networkFaultSchema, verdictSchema, errorHttpStatusSchema, scriptedObjectSchema],
  {
    error:
      'expected "ok", an HTTP error status such as 503, "connection-reset", "truncated-body", a finish reason such as ' +
      '"IMAGE_SAFETY" or "NO_IMAGE", "block-prompt:<reason>", or an object with one of status, fault, verdict, servedImageSize',
  },
);
export type ScriptedStep = z.infer<typeof scriptedStepSchema>;

const scriptedRuleSchema = z.strictObject({
  ...targetShape,
  /** Answers for the next matching calls, in order; once used up, the model answers normally again. */
  responses: z.array(scriptedStepSchema).min(1),
  /** Start over after the last response instead of stopping (default false). */
  repeat: z.boolean().default(false),
});

/** How batch jobs end when their duration has passed (cancelled ones end CANCELLED whatever this says). */
export const batchEndSchema = z.enum(['succeeded', 'expired', 'failed']);
export type BatchEnd = z.infer<typeof batchEndSchema>;

/** An item of a batch job that fails inside it (the job itself succeeds), as `error` in its result. */
const batchItemErrorRuleSchema = z
  .strictObject({
    model: targetShape.model,
    pattern: targetShape.pattern,
    apiKey: targetShape.apiKey,
    ...errorShape,
    /** Share of matching items that fail (default 1). */
    rate: rateSchema.default(1),
    /** Only the first this many matching items fail, counted from when the scenario was applied (default: every one). */
    times: z.number().int().positive().optional(),
  })
  .superRefine(refineQuotaFields);

/**
 * Batch jobs (reference 1.8). Absent keys keep the emulator's options (`batchDurationMs`, `expireBatches`,
 * `batchResultDownloadFailures`). A job takes the settings in force when it is created.
 */
const batchesSchema = z.strictObject({
  /** Emulated time from creation to the job's end. */
  duration: durationSchema.optional(),
  /** How a job ends once `duration` has passed: SUCCEEDED with results, or EXPIRED / FAILED without. */
  end: batchEndSchema.optional(),
  /** Each results file download of a job answers 503 this many times before it succeeds. */
  resultDownloadFailures: z.number().int().nonnegative().optional(),
  /** Items that fail inside a succeeding job; the first matching rule decides (default none). */
  itemErrors: z.array(batchItemErrorRuleSchema).default([]),
});

export const scenarioSchema = z.strictObject({
  /**
   * The only API keys accepted, besides those the emulator was started with (`--api-keys`); any other key
   * gets the real 400 API_KEY_INVALID (default: every key is accepted).
   */
  apiKeys: z.array(z.string().min(1)).min(1).optional(),
  /** Seed of the PRNG behind error rates and latency sampling (default 1). */
  seed: z.number().int().default(1),
  /** Sets the emulated time when the scenario is applied (default: the clock is left as it is). */
  clock: z
    .strictObject({
      now: instantSchema,
      /** Keep the clock at `now` instead of letting it tick (default false). */
      frozen: z.boolean().default(false),
    })
    .optional(),
  latency: latencySchema.prefault({}),
  streaming: streamingSchema.prefault({}),
  quotas: z.array(quotaRuleSchema).default([]),
  errors: z.array(errorRuleSchema).default([]),
  outages: z.array(outageRuleSchema).default([]),
  network: z.array(networkRuleSchema).default([]),
  safety: z.array(safetyRuleSchema).default([]),
  downgrades: z.array(downgradeRuleSchema).default([]),
  scripted: z.array(scriptedRuleSchema).default([]),
  batches: batchesSchema.prefault({}),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type QuotaRule = Scenario['quotas'][number];
export type ErrorRule = Scenario['errors'][number];
export type OutageRule = Scenario['outages'][number];
export type ScriptedRule = Scenario['scripted'][number];
export type BatchItemErrorRule = Scenario['batches']['itemErrors'][number];
/** The fields that say how a call is refused, shared by error rules, outages and scripted steps. */
export type ErrorSpec = Pick<
  ErrorRule,
  'message' | 'quota' | 'quotaValue' | 'retryDelay' | 'retryAfter' | 'precondition'
> & {
  status: ErrorHttpStatus;
};

/** An instant of a scenario (`2026-06-26T00:00:00Z` or `2026-06-26`, a date meaning midnight UTC) in ms. */
export function instantMs(instant: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(instant) ? `${instant}T00:00:00Z` : instant);
}
