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
import type { MiddlewareHandler } from 'hono';
import {
  ApiError,
  apiErrorFor,
  errorResponse,
  invalidRequest,
  jsonDepthExceeds,
  MAX_GENERATION_BODY_BYTES,
  MAX_JSON_DEPTH,
  notFound,
  tooLarge,
  unsupportedMediaType,
} from '../http/index.js';
import type { SharedRateLimits } from '../coordination/index.js';
import { createDependencyGate } from './dependency-gate.js';
import type { DependencyHealth } from './dependency-health.js';
import {
  createAuthMiddleware,
  createKeyRateLimitMiddleware,
  type ApiKeyDirectory,
  type BlobOwnership,
} from './auth/index.js';
import { documentSharedAnswers } from './shared-answers.js';
import { isStorageFault, StorageHealth, storageUnavailable } from './storage-health.js';
import { estimateTaskCostUsd } from './estimate-task-cost.js';
import { batchRoutes } from './routes/batches.js';
import type { BatchJobStore } from '../batch/index.js';
import { isConsolePath, mountConsole } from './console-hosting.js';
import { docsPage, type OpenApiDocumentLike } from './docs-page.js';
import type { Metrics } from './metrics/index.js';
import { registerOpenAiOperations } from './openai/index.js';
import { openApiRouter, type ServerEnv } from './openapi-router.js';
import type { GenerationSubmission } from './request-body.js';
import { listDeadLettersDoc, redeliverDeadLetterDoc } from './routes/dead-letter-docs.js';
import { fileRoutes } from './routes/files.js';
import { flowRoutes, publishedFlowUsages, type FlowRoutesOptions } from './routes/flows.js';
import { generationRoutes } from './routes/generations.js';
import { healthRoutes } from './routes/health.js';
import { imageDetailRoutes } from './routes/image-details.js';
import { imageRoutes } from './routes/images.js';
import { keyRoutes } from './routes/keys.js';
import { lifecycleRoutes } from './routes/lifecycle.js';
import { modelRoutes } from './routes/models.js';
import { regressionRoutes } from './routes/regressions.js';
import type { RegressionJobs } from './regressions/regression-jobs.js';
import { taskEventRoutes } from './routes/task-events.js';
import { taskRequestRoutes } from './routes/task-request.js';
import { taskStreamRoutes } from './routes/task-stream.js';
import { taskRoutes } from './routes/tasks.js';
import { usageRoutes } from './routes/usage.js';

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
  /**
   * API keys. Once any key exists every request needs a valid one (except /healthz and an open
   * /metrics). Default: none, every request is anonymous (and `requireApiKey` cannot be honoured).
   */
  keys?: ApiKeyDirectory;
  /** Which key owns which blob; with it, images and file ids reach only their owners. Default: not checked. */
  owners?: BlobOwnership;
  /** Storage faults seen lately, shown by /healthz. Default: a fresh tracker on `clock`. */
  storage?: StorageHealth;
  /** A small write where tasks and images live, run by /healthz. Default: none (a store read only). */
  probeWrite?: () => Promise<void>;
  /** Outside services (PostgreSQL, S3): reported by /healthz; while one is down, API calls answer 503. */
  dependencies?: DependencyHealth;
  /** Where per-key request limits are counted (Redis: shared by instances). Default: this process. */
  rateLimits?: SharedRateLimits;
  /** What answers image calls, shown by /healthz. Default 'custom'. */
  target?: 'google' | 'emulator' | 'custom';
  /** Prometheus metrics, served at /metrics (open) when `config.server.metrics` is on. Default: none. */
  metrics?: Metrics;
  /** OpenAI-compatible routes, mounted at /openai/v1. Default: not mounted. */
  openAi?: Hono<ServerEnv>;
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
  /** Comparison runs started over HTTP (`/v1/regressions`). Default: not mounted. */
  regressions?: RegressionJobs;
  /**
   * The built web console served at `/` (SPA fallback for non-API paths). A path, `false` for none.
   * Default: none (`startServer` passes the package's `dist/console`).
   */
  consoleDirectory?: string | false;
  /** Flows (drafts, versions, runs): mounted at /v1/flows and /v1/flow-runs. Default: not mounted. */
  flows?: FlowRoutesOptions;
  /**
   * The batch lane's jobs: with them `lane: "batch"` is accepted, task views show the batch job and
   * `GET /v1/batches` is mounted. Default: none (no batch lane runs).
   */
  batchJobs?: BatchJobStore;
}

export const SERVER_VERSION = IMAGEGATE_VERSION;
/** Where the OpenAI-compatible routes are mounted (the `openai` client's base URL ends with it). */
const openAiPathPrefix = '/openai/v1';
/** Answered without a key whatever the auth rule (load balancers and scrapers carry none). */
const OPEN_PATHS = new Set(['/healthz', '/metrics']);

/** The whole HTTP API as one Hono app: routes, auth, errors, the OpenAPI document and its rendered page. */
export function createServerApp(deps: ServerAppDependencies): OpenAPIHono<ServerEnv> {
  const settings: ServerConfig = deps.config.server;
  const app = openApiRouter();
  const pollIntervalMs = deps.storePollIntervalMs ?? 1000;

  const logError = deps.logError ?? ((error: unknown) => console.error(error));
  const storage = deps.storage ?? new StorageHealth(deps.clock);
  app.onError((error, c) => {
    if (isStorageFault(error)) {
      // Nothing was acknowledged: the client is told to come back, /healthz says why.
      storage.recordFault(error);
      logError(error);
      return errorResponse(c, storageUnavailable(error));
    }
    const apiError = asApiError(error, c.req.header('content-type'));
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
    const keys = deps.keys;
    // The default-auth rule: open only while no key exists (and `serve` allows that on loopback only).
    const auth = createAuthMiddleware({ keys, required: () => settings.requireApiKey || keys.hasKeys() });
    const rateLimit = createKeyRateLimitMiddleware({
      clock: deps.clock,
      ...(deps.rateLimits ? { limits: deps.rateLimits } : {}),
      ...(settings.rateLimitPerMinute !== undefined ? { defaultPerMinute: settings.rateLimitPerMinute } : {}),
    });
    const metricsOpen = deps.metrics !== undefined && settings.metrics;
    const consoleMounted = deps.consoleDirectory !== undefined;
    const isOpen = (path: string) =>
      path === '/healthz' || (metricsOpen && OPEN_PATHS.has(path)) || (consoleMounted && isConsolePath(path));
    app.use('*', (c, next) => (isOpen(c.req.path) ? next() : auth(c, next)));
    app.use('*', (c, next) => (isOpen(c.req.path) ? next() : rateLimit(c, next)));
  } else if (settings.requireApiKey) {
    throw new Error('server.requireApiKey is true but no API key store was given to createServerApp.');
  }
  // Every body is bounded before anything reads it: uploads by the upload limit, the rest (generations
  // with data: URLs, OpenAI-compatible requests, and bodies sent where none is expected) by one limit.
  const maxUploadBytes = Math.max(settings.maxUploadImageBytes, settings.maxUploadVideoBytes) + 64 * 1024;
  const uploadLimit = bodyLimit({
    maxSize: maxUploadBytes,
    onError: () => {
      throw tooLarge(`The upload is larger than the ${maxUploadBytes}-byte limit.`, 'file');
    },
  });
  const bodyLimitOfTheRest = bodyLimit({
    maxSize: MAX_GENERATION_BODY_BYTES,
    onError: () => {
      throw tooLarge(
        `The request body is larger than ${MAX_GENERATION_BODY_BYTES} bytes; upload references with POST /v1/files.`,
        null,
      );
    },
  });
  app.use('*', (c, next) =>
    c.req.path === '/v1/files' ? uploadLimit(c, next) : bodyLimitOfTheRest(c, next),
  );
  app.use('*', refuseDeepJson);

  app.route(
    '/',
    healthRoutes({
      store: deps.store,
      target: deps.target ?? 'custom',
      version: SERVER_VERSION,
      storage,
      ...(deps.probeWrite ? { probeWrite: deps.probeWrite } : {}),
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
      onTaskSubmitted: (taskId) => {
        deps.events.notify(taskId);
        deps.onTaskSubmitted?.(taskId);
      },
      waitPollIntervalMs: pollIntervalMs,
      estimateCost: deps.estimateCost ?? estimateTaskCostUsd,
      owners: deps.owners,
      batchLane: deps.batchJobs !== undefined,
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
      batchJobOf: (batchJobId) => deps.batchJobs?.get(batchJobId),
    }),
  );
  if (deps.batchJobs) app.route('/', batchRoutes({ jobs: deps.batchJobs }));
  app.route(
    '/',
    taskEventRoutes({ store: deps.store, events: deps.events, clock: deps.clock, pollIntervalMs }),
  );
  app.route('/', taskStreamRoutes({ store: deps.store, events: deps.events }));
  app.route('/', taskRequestRoutes({ store: deps.store }));
  app.route('/', imageRoutes({ blobs: deps.blobs, owners: deps.owners }));
  app.route('/', imageDetailRoutes({ blobs: deps.blobs, owners: deps.owners }));
  app.route(
    '/',
    fileRoutes({
      blobs: deps.blobs,
      clock: deps.clock,
      maxImageBytes: settings.maxUploadImageBytes,
      maxVideoBytes: settings.maxUploadVideoBytes,
      owners: deps.owners,
    }),
  );
  app.route(
    '/',
    modelRoutes({
      catalog: deps.catalog,
      registry: deps.registry,
      config: deps.config,
      clock: deps.clock,
      ...(deps.flows ? { flowUsages: publishedFlowUsages(deps.flows.store, deps.config, deps.catalog) } : {}),
    }),
  );
  app.route(
    '/',
    lifecycleRoutes({
      catalog: deps.catalog,
      registry: deps.registry,
      config: deps.config,
      clock: deps.clock,
    }),
  );
  app.route(
    '/',
    usageRoutes({
      store: deps.store,
      catalog: deps.catalog,
      config: deps.config,
      clock: deps.clock,
      ...(deps.keys ? { keys: deps.keys } : {}),
    }),
  );
  if (deps.regressions) app.route('/', regressionRoutes({ jobs: deps.regressions }));
  if (deps.keys) app.route('/', keyRoutes({ keys: deps.keys, store: deps.store, clock: deps.clock }));
  if (deps.openAi) {
    app.route(openAiPathPrefix, deps.openAi);
    registerOpenAiOperations(app, openAiPathPrefix);
  }
  if (deps.webhookRoutes) {
    app.route('/v1/webhooks', deps.webhookRoutes);
    app.openAPIRegistry.registerPath(listDeadLettersDoc);
    app.openAPIRegistry.registerPath(redeliverDeadLetterDoc);
  }
  if (deps.flows) app.route('/', flowRoutes(deps.flows));

  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'imagegate',
      version: SERVER_VERSION,
      description:
        'Durable async task API for Gemini image models: submit, poll, stream events, fetch content-addressed images; models and lifecycle.',
    },
  };
  const document = () =>
    documentSharedAnswers(app.getOpenAPI31Document(documentConfig), {
      keys: deps.keys !== undefined,
      openPaths: OPEN_PATHS,
    });
  app.get('/openapi.json', (c) => c.json(document()));
  app.get('/docs', (c) => c.html(docsPage(document() as OpenApiDocumentLike)));
  if (deps.consoleDirectory) mountConsole(app, deps.consoleDirectory);
  return app;
}

/**
 * Refuses a JSON body nested deeper than `MAX_JSON_DEPTH` before anything parses or validates it: the
 * validators and error writers recurse, and 10 000 levels would overflow the stack (a 500 for bad input).
 * Runs after the body limits, so the text read here is already bounded.
 */
const refuseDeepJson: MiddlewareHandler = async (c, next) => {
  // Uploads are bytes whatever their declared type; nothing parses them as JSON.
  if (c.req.path === '/v1/files') return next();
  if (c.req.method !== 'POST' || !/json/i.test(c.req.header('content-type') ?? '')) return next();
  const raw = c.req.raw;
  const text = await c.req.text();
  // Routes read the body again (from Hono's cache, or through their own body limit): give them an unread one.
  c.req.raw = new Request(raw.url, {
    method: raw.method,
    headers: raw.headers,
    body: text,
    signal: raw.signal,
  });
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw invalidRequest(
      `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep; no request needs that.`,
      null,
      'nesting_too_deep',
    );
  }
  return next();
};

/**
 * Anything thrown becomes the error shape: ours as is; the framework's by status (malformed JSON 400, a
 * wrong Content-Type 415, too large 413); anything else is a server fault, 500.
 */
function asApiError(error: unknown, contentType: string | undefined): ApiError {
  if (error instanceof HTTPException) {
    if (error.status === 413) return tooLarge(error.message, null);
    if (error.status === 415) return unsupportedMediaType(contentType, 'application/json');
    if (error.status === 400)
      return invalidRequest(`The request body is not valid: ${error.message}.`, null, 'malformed_body');
    if (error.status === 401) return new ApiError(401, 'authentication_error', 'http_error', error.message);
  }
  return apiErrorFor(error);
}
