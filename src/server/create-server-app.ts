import { IMAGEGATE_VERSION } from '../version.js';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { BlobStore } from '../blobs/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Clock } from '../clock/index.js';
import type { ImagegateConfig, ServerConfig } from '../config/index.js';
import type { Registry, Route } from '../registry/index.js';
import type { TaskEventHub, TaskStore } from '../tasks/index.js';
import type { ImageCostEstimate } from '../tools/cost/index.js';
import { ApiError, errorResponse, invalidRequest, notFound, tooLarge } from '../http/index.js';
import type { SharedRateLimits } from '../coordination/index.js';
import { createDependencyGate } from './dependency-gate.js';
import type { DependencyHealth } from './dependency-health.js';
import { createAuthMiddleware, createKeyRateLimitMiddleware, type ApiKeyDirectory } from './auth/index.js';
import { estimateTaskCostUsd } from './estimate-task-cost.js';
import { docsPage, type OpenApiDocumentLike } from './docs-page.js';
import type { Metrics } from './metrics/index.js';
import { registerOpenAiOperations } from './openai/index.js';
import { openApiRouter, type ServerEnv } from './openapi-router.js';
import type { GenerationSubmission } from './request-body.js';
import { fileRoutes } from './routes/files.js';
import { generationRoutes } from './routes/generations.js';
import { healthRoutes } from './routes/health.js';
import { imageRoutes } from './routes/images.js';
import { modelRoutes } from './routes/models.js';
import { taskEventRoutes } from './routes/task-events.js';
import { taskRoutes } from './routes/tasks.js';

/** Everything the HTTP layer uses, injected so tests drive the app with `app.request(...)`. */
export interface ServerAppDependencies {
  store: TaskStore;
  blobs: BlobStore;
  registry: Registry;
  catalog: Catalog;
  /** The loaded config; `config.server` holds the server's own settings. */
  config: ImagegateConfig;
  clock: Clock;
  events: TaskEventHub;
  /** API keys. Default: none, every request is anonymous (and `requireApiKey` cannot be honoured). */
  keys?: ApiKeyDirectory;
  /** Outside services (PostgreSQL, S3): reported by /healthz; while one is down, API calls answer 503. */
  dependencies?: DependencyHealth;
  /** Where per-key request limits are counted (Redis: shared by instances). Default: this process. */
  rateLimits?: SharedRateLimits;
  /** What answers image calls, shown by /healthz. Default 'custom'. */
  target?: 'google' | 'emulator' | 'custom';
  /** Prometheus metrics, served at /metrics (open) when `config.server.metrics` is on. Default: none. */
  metrics?: Metrics;
  /** OpenAI-compatible routes, mounted at /openai/v1. Default: not mounted. */
  openAi?: Hono;
  /** Webhook dead-letter routes, mounted at /v1/webhooks. Default: not mounted. */
  webhookRoutes?: Hono;
  /**
   * Cost estimate shown as `cost.estimated_usd`, or the missing price a budget refusal names.
   * Default: the primary candidate's catalog list price.
   */
  estimateCost?: (route: Route, submission: GenerationSubmission) => ImageCostEstimate;
  /** How often waits and SSE streams re-read the store without an event. Default 1000 ms. */
  storePollIntervalMs?: number;
  /** Receives errors answered as 500. Default: written to stderr. */
  logError?: (error: unknown) => void;
  /** Called once a new task is committed, so a local worker starts it at once. Default: nothing. */
  onTaskSubmitted?: (taskId: string) => void;
  /** Called once a cancel of a running task is committed, so a local worker aborts its call at once. */
  onTaskCancelRequested?: (taskId: string) => void;
}

export const SERVER_VERSION = IMAGEGATE_VERSION;
/** Where the OpenAI-compatible routes are mounted (the `openai` client's base URL ends with it). */
const openAiPathPrefix = '/openai/v1';
/** Room for a JSON body carrying reference images as data URLs. */
const MAX_GENERATION_BODY_BYTES = 64 * 1024 * 1024;

/** The whole HTTP API as one Hono app: routes, auth, errors, the OpenAPI document and its rendered page. */
export function createServerApp(deps: ServerAppDependencies): OpenAPIHono<ServerEnv> {
  const settings: ServerConfig = deps.config.server;
  const app = openApiRouter();
  const pollIntervalMs = deps.storePollIntervalMs ?? 1000;

  const logError = deps.logError ?? ((error: unknown) => console.error(error));
  app.onError((error, c) => {
    const apiError = asApiError(error);
    if (apiError.status >= 500) logError(error);
    return errorResponse(c, apiError);
  });
  app.notFound((c) =>
    errorResponse(c, notFound(`No route for ${c.req.method} ${c.req.path}.`, 'route_not_found')),
  );

  if (deps.metrics) app.use('*', deps.metrics.middleware);
  if (deps.dependencies) {
    const gate = createDependencyGate(
      deps.dependencies,
      deps.dependencies.report().postgres ? 'postgres' : 's3',
    );
    for (const path of ['/v1/*', '/openai/*']) app.use(path, gate);
  }
  if (deps.keys) {
    const auth = createAuthMiddleware({ keys: deps.keys, required: settings.requireApiKey });
    const rateLimit = createKeyRateLimitMiddleware({
      clock: deps.clock,
      ...(deps.rateLimits ? { limits: deps.rateLimits } : {}),
      ...(settings.rateLimitPerMinute !== undefined ? { defaultPerMinute: settings.rateLimitPerMinute } : {}),
    });
    for (const path of ['/v1/*', '/openai/*']) app.use(path, auth, rateLimit);
  } else if (settings.requireApiKey) {
    throw new Error('server.requireApiKey is true but no API key store was given to createServerApp.');
  }
  app.use(
    '/v1/images/generations',
    bodyLimit({
      maxSize: MAX_GENERATION_BODY_BYTES,
      onError: () => {
        throw tooLarge(
          `The request body is larger than ${MAX_GENERATION_BODY_BYTES} bytes; upload references with POST /v1/files.`,
          null,
        );
      },
    }),
  );
  const maxUploadBytes = Math.max(settings.maxUploadImageBytes, settings.maxUploadVideoBytes) + 64 * 1024;
  app.use(
    '/v1/files',
    bodyLimit({
      maxSize: maxUploadBytes,
      onError: () => {
        throw tooLarge(`The upload is larger than the ${maxUploadBytes}-byte limit.`, 'file');
      },
    }),
  );

  app.route(
    '/',
    healthRoutes({
      store: deps.store,
      target: deps.target ?? 'custom',
      version: SERVER_VERSION,
      ...(deps.dependencies ? { dependencies: deps.dependencies } : {}),
    }),
  );
  if (deps.metrics && settings.metrics) {
    const { handler } = deps.metrics;
    app.get('/metrics', (c) => handler(c));
  }
  app.route(
    '/',
    generationRoutes({
      store: deps.store,
      blobs: deps.blobs,
      registry: deps.registry,
      catalog: deps.catalog,
      clock: deps.clock,
      events: deps.events,
      allowPrivateNetworks: settings.allowPrivateNetworks,
      maxImageBytes: settings.maxUploadImageBytes,
      globalMonthlyBudgetUsd: settings.monthlyBudgetUsd,
      onTaskSubmitted: deps.onTaskSubmitted,
      waitPollIntervalMs: pollIntervalMs,
      estimateCost: deps.estimateCost ?? estimateTaskCostUsd,
    }),
  );
  app.route(
    '/',
    taskRoutes({
      store: deps.store,
      catalog: deps.catalog,
      clock: deps.clock,
      events: deps.events,
      ...(deps.onTaskCancelRequested ? { onCancelRequested: deps.onTaskCancelRequested } : {}),
    }),
  );
  app.route(
    '/',
    taskEventRoutes({ store: deps.store, events: deps.events, clock: deps.clock, pollIntervalMs }),
  );
  app.route('/', imageRoutes({ blobs: deps.blobs }));
  app.route(
    '/',
    fileRoutes({
      blobs: deps.blobs,
      clock: deps.clock,
      maxImageBytes: settings.maxUploadImageBytes,
      maxVideoBytes: settings.maxUploadVideoBytes,
    }),
  );
  app.route(
    '/',
    modelRoutes({ catalog: deps.catalog, registry: deps.registry, config: deps.config, clock: deps.clock }),
  );
  if (deps.openAi) {
    app.route(openAiPathPrefix, deps.openAi);
    registerOpenAiOperations(app, openAiPathPrefix);
  }
  if (deps.webhookRoutes) app.route('/v1/webhooks', deps.webhookRoutes);

  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'imagegate',
      version: SERVER_VERSION,
      description:
        'Durable async task API for Gemini image models: submit, poll, stream events, fetch content-addressed images; models and lifecycle.',
    },
  };
  app.doc31('/openapi.json', documentConfig);
  app.get('/docs', (c) => c.html(docsPage(app.getOpenAPI31Document(documentConfig) as OpenApiDocumentLike)));
  return app;
}

/** Anything thrown becomes the error shape: ours as is, Hono's (malformed JSON) as 400, the rest 500. */
function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return tooLarge(error.message, null);
    if (error.status === 400)
      return invalidRequest(`The request body is not valid: ${error.message}.`, null, 'malformed_body');
    return new ApiError(
      error.status === 401 ? 401 : 500,
      error.status === 401 ? 'authentication_error' : 'api_error',
      'http_error',
      error.message,
    );
  }
  return new ApiError(
    500,
    'api_error',
    'internal_error',
    'The server failed while answering; the error was logged.',
  );
}
