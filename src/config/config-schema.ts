import { z } from 'zod';
import { defaultRoutes, platformSchema } from '../catalog/index.js';
// Imported from its own file, not the outcome index, so loading a config does not load image decoding.
import { outcomeKindSchema } from '../outcome/index.js';
import {
  blobsConfigSchema,
  coordinationConfigSchema,
  storeConfigSchema,
} from './deployment-config-schema.js';

/**
 * The shape of `imagegate.config.yaml`. Every section is optional; what is left out takes the default
 * documented beside it (and in docs/configuration.md). Semantic checks that need the catalog or the
 * clock (unknown models, previews as fallbacks, cycles) live in validate-config.ts, not here.
 */

/** How a candidate that cannot honour a parameter is handled. */
export const parameterPolicySchema = z
  .enum(['translate', 'drop-with-warning', 'refuse'])
  .describe(
    'translate: use the nearest supported value and warn; drop-with-warning: leave the parameter out (model default) and warn; refuse: fail the candidate.',
  );

/** Outcomes that may move a request to the next candidate (docs/error-handling.md, the "fallback?" column). */
export const fallbackOutcomeSchema = outcomeKindSchema.extract([
  'no_image',
  'wrong_output',
  'rate_limited',
  'quota_exhausted',
  'unavailable',
  'model_retired',
  'region_blocked',
  'blocked_prompt',
  'blocked_output',
]);
export type FallbackOutcome = z.infer<typeof fallbackOutcomeSchema>;

/** Default for `fallbackOn`: every outcome a different model can plausibly cure; safety blocks only when asked. */
export const defaultFallbackOn: FallbackOutcome[] = [
  'no_image',
  'wrong_output',
  'rate_limited',
  'quota_exhausted',
  'unavailable',
  'model_retired',
  'region_blocked',
];

export const defaultRetryBudget = {
  maxAttempts: 3,
  maxTotalWaitMs: 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
} as const;

export const defaultTotalBudgetMs = 180_000;

/** Days finished tasks, their events and unreferenced images are kept (`server.retentionDays`). */
export const defaultRetentionDays = 30;

const millisecondsSchema = z.number().int().nonnegative();

/** Retry settings for one route; any field left out takes the `defaults.retry` value. */
export const retryOverrideSchema = z.strictObject({
  maxAttempts: z
    .number()
    .int()
    .min(1)
    .max(20)
    .optional()
    .describe('Attempts per candidate, the first included. Default 3.'),
  maxTotalWaitMs: millisecondsSchema
    .optional()
    .describe('Total time spent waiting between attempts on one candidate. Default 60000.'),
  baseDelayMs: millisecondsSchema
    .optional()
    .describe('First backoff delay when the platform names none. Default 1000.'),
  maxDelayMs: millisecondsSchema.optional().describe('Longest single backoff delay. Default 30000.'),
});

export const retryBudgetSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(20).default(defaultRetryBudget.maxAttempts),
  maxTotalWaitMs: millisecondsSchema.default(defaultRetryBudget.maxTotalWaitMs),
  baseDelayMs: millisecondsSchema.default(defaultRetryBudget.baseDelayMs),
  maxDelayMs: millisecondsSchema.default(defaultRetryBudget.maxDelayMs),
});

const totalBudgetSchema = z
  .number()
  .int()
  .positive()
  .describe('Wall time for the whole request, fallbacks included. Default 180000.');

const fallbackOnSchema = z
  .array(fallbackOutcomeSchema)
  .describe(
    'Outcomes that move the request to the next candidate. Default: no_image, wrong_output, rate_limited, quota_exhausted, unavailable, model_retired, region_blocked.',
  );

/** A route entry: a concrete model on a platform, or another logical name expanded in place. */
export const routeCandidateSchema = z
  .strictObject({
    model: z.string().min(1).optional().describe('A model ID or alias from the catalog.'),
    platform: platformSchema.optional().describe('Where to call the model. Default gemini-api.'),
    route: z.string().min(1).optional().describe('Another logical name whose candidates are inserted here.'),
  })
  .superRefine((candidate, context) => {
    if (candidate.model === undefined && candidate.route === undefined) {
      context.addIssue({ code: 'custom', message: 'a candidate needs either "model" or "route"' });
    }
    if (candidate.model !== undefined && candidate.route !== undefined) {
      context.addIssue({ code: 'custom', message: 'a candidate has either "model" or "route", not both' });
    }
    if (candidate.route !== undefined && candidate.platform !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['platform'],
        message:
          '"platform" belongs to model candidates; a "route" candidate uses the platforms of that route',
      });
    }
  });
export type RouteCandidateConfig = z.infer<typeof routeCandidateSchema>;

const logicalNameSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]*$/,
    'a logical name starts with a letter and has only letters, digits, "_" and "-"',
  );

export const routeConfigSchema = z.strictObject({
  description: z.string().optional(),
  candidates: z
    .array(routeCandidateSchema)
    .min(1, 'a route needs at least one candidate')
    .describe('Tried in order: the first is the primary, the rest are fallbacks.'),
  fallbackOn: fallbackOnSchema.optional(),
  parameterPolicy: parameterPolicySchema.optional(),
  retry: retryOverrideSchema.optional(),
  totalBudgetMs: totalBudgetSchema.optional(),
});
export type RouteConfig = z.infer<typeof routeConfigSchema>;

export const routeDefaultsSchema = z.strictObject({
  fallbackOn: fallbackOnSchema.default(defaultFallbackOn),
  parameterPolicy: parameterPolicySchema.default('translate'),
  retry: retryBudgetSchema.prefault({}),
  totalBudgetMs: totalBudgetSchema.default(defaultTotalBudgetMs),
});

const environmentVariableNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True for values that are evidently a credential rather than the name of a variable holding one. */
export function looksLikeSecret(value: string): boolean {
  if (/^AIza[0-9A-Za-z_-]{20,}$/.test(value) || /^ya29\./.test(value)) return true;
  const mixedCaseWithDigits = /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
  return value.length >= 30 && mixedCaseWithDigits;
}

/** The NAME of an environment variable. A literal key here is rejected without echoing it back. */
export const environmentVariableNameSchema = z.string().superRefine((value, context) => {
  if (looksLikeSecret(value)) {
    context.addIssue({
      code: 'custom',
      message:
        'this looks like a secret itself; write the NAME of the environment variable that holds it (for example GEMINI_API_KEY), never the key',
    });
  } else if (!environmentVariableNamePattern.test(value)) {
    context.addIssue({
      code: 'custom',
      message: `"${value}" is not an environment variable name (letters, digits and "_", not starting with a digit)`,
    });
  }
});

export const geminiApiCredentialsSchema = z.strictObject({
  apiKeyEnv: environmentVariableNameSchema
    .default('GEMINI_API_KEY')
    .describe('Name of the environment variable holding the API key. Default GEMINI_API_KEY.'),
});

export const vertexAiCredentialsSchema = z.strictObject({
  project: z.string().min(1).optional().describe('Google Cloud project ID. Default: read from projectEnv.'),
  projectEnv: environmentVariableNameSchema
    .default('GOOGLE_CLOUD_PROJECT')
    .describe('Name of the environment variable holding the project ID. Default GOOGLE_CLOUD_PROJECT.'),
  location: z
    .string()
    .min(1)
    .optional()
    .describe('Vertex AI location. Default: read from locationEnv, else "global".'),
  locationEnv: environmentVariableNameSchema
    .default('GOOGLE_CLOUD_LOCATION')
    .describe('Name of the environment variable holding the location. Default GOOGLE_CLOUD_LOCATION.'),
  apiKeyEnv: environmentVariableNameSchema
    .optional()
    .describe('Name of the environment variable holding an express-mode API key. Default: none (ADC).'),
});

export const credentialsSchema = z.strictObject({
  'gemini-api': geminiApiCredentialsSchema.prefault({}),
  'vertex-ai': vertexAiCredentialsSchema.prefault({}),
});

export const modelLimitSchema = z
  .strictObject({
    platform: platformSchema,
    model: z.string().min(1).optional().describe('Model ID or alias. Default: every model on the platform.'),
    concurrency: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Calls in flight at once. Default: unlimited.'),
    requestsPerMinute: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Calls started per minute. Default: unlimited.'),
  })
  .refine((limit) => limit.concurrency !== undefined || limit.requestsPerMinute !== undefined, {
    message: 'a limit needs "concurrency", "requestsPerMinute" or both',
  });
export type ModelLimitConfig = z.infer<typeof modelLimitSchema>;

export const lifecycleConfigSchema = z.strictObject({
  warnDays: z
    .array(z.number().int().positive())
    .min(1)
    .default([90, 30, 7])
    .describe('Days before a shutdown at which warnings start. Default [90, 30, 7].'),
});

const bytesSchema = z.number().int().positive();

/** `imagegate serve`: where it listens, where it keeps tasks and images, and what it lets in. */
export const serverConfigSchema = z.strictObject({
  port: z
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(8080)
    .describe('TCP port (0 picks a free one). Default 8080.'),
  host: z.string().min(1).default('127.0.0.1').describe('Interface to listen on. Default 127.0.0.1.'),
  dataDirectory: z
    .string()
    .min(1)
    .default('./.imagegate')
    .describe(
      'SQLite task database and image blobs, relative to the working directory. Default ./.imagegate.',
    ),
  store: storeConfigSchema,
  blobs: blobsConfigSchema,
  coordination: coordinationConfigSchema,
  publicBaseUrl: z
    .url()
    .optional()
    .describe('Origin clients reach the server at, for absolute URLs. Default: http://<host>:<port>.'),
  requireApiKey: z
    .boolean()
    .default(false)
    .describe(
      'Refuse requests without "Authorization: Bearer <key>" even before any key exists. Once a key exists every request needs one anyway. Default false.',
    ),
  allowUnauthenticated: z
    .boolean()
    .default(false)
    .describe(
      'Let serve start on a non-loopback host while no API key exists (anyone who reaches it may use it). Default false.',
    ),
  allowPrivateNetworks: z
    .boolean()
    .default(false)
    .describe('Let reference-image URLs and webhooks reach private and loopback addresses. Default false.'),
  metrics: z.boolean().default(false).describe('Serve Prometheus metrics at /metrics. Default false.'),
  webhookSecretEnv: environmentVariableNameSchema
    .default('IMAGEGATE_WEBHOOK_SECRET')
    .describe('Variable holding the webhook signing secret. Default IMAGEGATE_WEBHOOK_SECRET.'),
  maxUploadImageBytes: bytesSchema
    .default(20 * 1024 * 1024)
    .describe('Largest reference image (upload, data URL or download). Default 20971520 (20 MiB).'),
  maxUploadVideoBytes: bytesSchema
    .default(200 * 1024 * 1024)
    .describe('Largest uploaded video. Default 209715200 (200 MiB).'),
  rateLimitPerMinute: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Requests per minute for keys without their own limit. Default: unlimited.'),
  monthlyBudgetUsd: z
    .number()
    .positive()
    .optional()
    .describe(
      'Spend cap for all keys together per UTC month; new tasks are refused once it would be exceeded. Default: none.',
    ),
  workerConcurrency: z.number().int().min(1).max(256).default(4).describe('Tasks run at once. Default 4.'),
  leaseMs: z
    .number()
    .int()
    .min(500)
    .default(30_000)
    .describe('How long a claimed task stays with its worker without a heartbeat. Default 30000.'),
  shutdownGraceMs: z
    .number()
    .int()
    .nonnegative()
    .default(10_000)
    .describe('On SIGTERM, time running tasks get to finish before they are released. Default 10000.'),
  batch: z
    .strictObject({
      maxTasksPerJob: z
        .number()
        .int()
        .min(1)
        .max(10_000)
        .optional()
        .describe('Most tasks in one Batch API job. Default 100.'),
      gatherWindowMs: z
        .number()
        .int()
        .nonnegative()
        .optional()
        .describe('A job with fewer tasks is sent once its oldest task has waited this long. Default 60000.'),
      fileInputAboveBytes: z
        .number()
        .int()
        .nonnegative()
        .optional()
        .describe('A job with a larger input goes as a JSONL file through the Files API. Default 1048576.'),
      pollBaseMs: z
        .number()
        .int()
        .min(1000)
        .optional()
        .describe('First wait between polls of a job, doubled per poll. Default 30000.'),
      pollMaxMs: z
        .number()
        .int()
        .min(1000)
        .optional()
        .describe('Longest wait between polls of a job. Default 600000.'),
      tickIntervalMs: z
        .number()
        .int()
        .min(100)
        .optional()
        .describe('Wait between rounds of the lane (due polls, then gathering). Default 5000.'),
      maxItemAttempts: z
        .number()
        .int()
        .min(1)
        .max(10)
        .optional()
        .describe('Batch tries of one task whose item fails transiently, before it runs online. Default 3.'),
    })
    .prefault({})
    .describe('The batch lane (lane "batch", docs/batch.md); it runs when a Gemini API key is set.'),
  retentionDays: z
    .number()
    .int()
    .positive()
    .default(defaultRetentionDays)
    .describe(
      'Days finished tasks, their events and images no task refers to are kept; swept hourly. Default 30.',
    ),
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** Entries the flow node cache keeps at most by default (`flows.nodeCache.maxEntries`). */
export const defaultNodeCacheMaxEntries = 10_000;

/** Flows (docs/flows.md): limits of the per-node result cache. */
export const flowsConfigSchema = z.strictObject({
  nodeCache: z
    .strictObject({
      maxAgeDays: z
        .number()
        .positive()
        .optional()
        .describe(
          'Days a cached node result is reused; at most server.retentionDays, whose sweep deletes the images it points at. Default server.retentionDays.',
        ),
      maxEntries: z
        .number()
        .int()
        .positive()
        .max(10_000_000)
        .default(defaultNodeCacheMaxEntries)
        .describe('Most cached node results kept; the oldest go first. Default 10000.'),
    })
    .prefault({})
    .describe('The per-node result cache of flow runs.'),
});
export type FlowsConfig = z.infer<typeof flowsConfigSchema>;

export const configSchema = z
  .strictObject({
    version: z.literal(1).default(1).describe('Config format version. Default 1.'),
    routes: z
      .record(logicalNameSchema, routeConfigSchema)
      .default({})
      .describe(
        'Logical names mapped to ordered candidates. Built-in: image_fast, image_quality (a route of the same name replaces one).',
      )
      .transform(
        (routes) => ({ ...structuredClone(defaultRoutes), ...routes }) as Record<string, RouteConfig>,
      ),
    defaults: routeDefaultsSchema
      .prefault({})
      .describe('Policy for routes that set none, and for concrete model IDs.'),
    limits: z
      .array(modelLimitSchema)
      .default([])
      .describe('Concurrency and requests per minute per (platform, model).'),
    credentials: credentialsSchema
      .prefault({})
      .describe('Where credentials come from: environment variable NAMES, never secrets.'),
    lifecycle: lifecycleConfigSchema.prefault({}),
    server: serverConfigSchema.prefault({}).describe('The HTTP server (imagegate serve).'),
    flows: flowsConfigSchema.prefault({}).describe('Flows: versioned multi-step image pipelines.'),
  })
  .superRefine((config, context) => {
    const maxAgeDays = config.flows.nodeCache.maxAgeDays;
    // A cache entry outliving the retention sweep would hand out images already deleted.
    if (maxAgeDays !== undefined && maxAgeDays > config.server.retentionDays) {
      context.addIssue({
        code: 'custom',
        path: ['flows', 'nodeCache', 'maxAgeDays'],
        message: `${maxAgeDays} is longer than server.retentionDays (${config.server.retentionDays}), after which the cached images are deleted; allowed up to ${config.server.retentionDays}`,
      });
    }
  })
  .meta({
    title: 'imagegate configuration',
    description:
      'imagegate.config.yaml: logical model names, fallback policy, limits and credential sources.',
  });

export type ImagegateConfig = z.infer<typeof configSchema>;
export type ImagegateConfigInput = z.input<typeof configSchema>;
export type ParameterPolicy = z.infer<typeof parameterPolicySchema>;
