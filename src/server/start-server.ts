import { GoogleGenAI } from '@google/genai';
import { BatchLane } from '../batch/index.js';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { builtInCatalog, type Catalog } from '../catalog/index.js';
import { Imagegate } from '../client/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import { loadConfig, resolveDeploymentSettings, type ImagegateConfig } from '../config/index.js';
import {
  imagegateTaskRunner,
  pauseClaimsWhile,
  storedMediaUri,
  sweepUntilStopped,
  TaskEventHub,
  TaskWorker,
  type OpenDataDirectory,
  type TaskRecord,
} from '../tasks/index.js';
import { createWebhookRoutes, generateWebhookSecret, WebhookDispatcher } from '../webhooks/index.js';
import { createServerApp } from './create-server-app.js';
import { DependencyHealth } from './dependency-health.js';
import { openServerStorage } from './open-server-storage.js';
import { createFlowService } from './flow-service.js';
import { nodeCacheLimits, sharedFlowResumeIntervalMs } from '../flows/index.js';
import { callerScope, decideDefaultAuth, listOwner } from './auth/index.js';
import { defaultConsoleDirectory } from './console-hosting.js';
import { isStorageFault, rateLimitedLog, StorageHealth } from './storage-health.js';
import { createMetrics } from './metrics/index.js';
import { estimateTaskCostUsd } from './estimate-task-cost.js';
import { RegressionJobs } from './regressions/regression-jobs.js';
import { RegressionRunStore } from './regressions/regression-run-store.js';
import { createOpenAiRoutes, openAiTaskRunner } from './openai/index.js';
import { taskView } from './task-view.js';

export interface StartServerOptions {
  /** A config object, or the path of an imagegate.config.yaml. Default: the usual lookup. */
  config?: ImagegateConfig | string;
  /** Override `server.port`. Default: the config's (8080). */
  port?: number;
  /** Override `server.host`. Default: the config's (127.0.0.1). */
  host?: string;
  /** Override `server.dataDirectory`. Default: the config's (./.imagegate). */
  dataDirectory?: string;
  /** Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default: `process.cwd()`; relative data directories are resolved against it. */
  cwd?: string;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: the built-in catalog. */
  catalog?: Catalog;
  /** One-line notices (emulator in use, generated webhook secret). Default: ignored. */
  onNotice?: (line: string) => void;
  /** Errors the server survived (500s, worker and webhook loop errors). Default: stderr. */
  onError?: (error: unknown) => void;
  /** The built web console served at `/`. Default: the package's `dist/console`; `false` serves none. */
  consoleDirectory?: string | false;
}

export interface RunningServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  dataDirectory: string;
  /** What answers image calls. */
  target: 'google' | 'emulator' | 'custom';
  /** Whether requests need a key (any key exists, or `requireApiKey`); the printed example sends one then. */
  authRequired: boolean;
  config: ImagegateConfig;
  /**
   * Graceful stop: stop accepting connections, give running tasks `server.shutdownGraceMs` to finish
   * (the rest go back to the queue), stop webhooks, close the database.
   */
  close(): Promise<void>;
}

/**
 * Starts `imagegate serve`: SQLite task store and blobs under the data directory, the engine (the
 * emulator in-process when no key is set), a task worker, webhooks and the HTTP API.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const catalog = options.catalog ?? builtInCatalog();
  const cwd = options.cwd ?? process.cwd();
  // A full disk fails every poll of every loop; the same error is written once a minute, with a count,
  // and /healthz reports storage faults the worker and webhooks meet, not only those of requests.
  const storageHealth = new StorageHealth(clock);
  const log = rateLimitedLog(options.onError ?? ((error: unknown) => console.error(error)), clock);
  const onError = (error: unknown) => {
    if (isStorageFault(error)) storageHealth.recordFault(error);
    log(error);
  };
  const loaded =
    typeof options.config === 'object'
      ? options.config
      : (await loadConfig({ ...(options.config ? { path: options.config } : {}), cwd, env, clock, catalog }))
          .config;
  const config: ImagegateConfig = {
    ...loaded,
    server: {
      ...loaded.server,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.dataDirectory !== undefined ? { dataDirectory: options.dataDirectory } : {}),
    },
  };
  const settings = config.server;
  const deployment = resolveDeploymentSettings(settings, env);
  const serverStorage = await openServerStorage(deployment, {
    dataDirectory: settings.dataDirectory,
    cwd,
    clock,
    env,
    nodeCache: nodeCacheLimits(config),
  });
  options.onNotice?.(`imagegate uses ${serverStorage.description}`);
  const { store, blobs, keys, owners, database, dataDirectory } = serverStorage;
  const dependencies = new DependencyHealth({
    checks: serverStorage.dependencies,
    clock,
    onChange: (name, status) =>
      options.onNotice?.(status.ok ? `${name} answers again` : `${name} does not answer (${status.reason})`),
  });
  const auth = decideDefaultAuth({
    host: settings.host,
    hasKeys: await keys.hasKeys(),
    requireApiKey: settings.requireApiKey,
    allowUnauthenticated: settings.allowUnauthenticated,
  });
  if (auth.kind === 'refuse') {
    await serverStorage.close();
    throw new Error(auth.message);
  }
  if (auth.kind === 'open') options.onNotice?.(auth.notice);
  const events = new TaskEventHub();
  // Read at scrape time, once the batch lane below exists (when a Gemini API key is set).
  const metrics = createMetrics({ batchItemCounts: () => batchLane?.jobs.itemCounts() ?? {} });
  const imagegate = await Imagegate.create({
    config,
    env,
    clock,
    catalog,
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    ...(serverStorage.upstreamGuards ? { upstreamGuards: serverStorage.upstreamGuards } : {}),
  });
  const webhooks = new WebhookDispatcher({
    store: serverStorage.webhookDeliveries,
    secret: await webhookSecret(
      env[settings.webhookSecretEnv],
      serverStorage.webhookSecretPath,
      settings.webhookSecretEnv,
      options.onNotice,
    ),
    clock,
    allowPrivateNetworks: settings.allowPrivateNetworks,
    onError,
  });
  const onTaskFinished = (task: TaskRecord) => {
    metrics.tasksTotal.inc({ status: task.status, model: task.request.model });
    if (task.webhookUrl) {
      webhooks
        .enqueue({
          taskId: task.id,
          apiKeyId: task.apiKeyId,
          url: task.webhookUrl,
          eventType: `task.${task.status}`,
          payload: taskView(task),
        })
        .catch(onError);
    }
  };
  const worker = new TaskWorker({
    // While PostgreSQL (or S3) is down the worker takes no new work; it resumes when they answer.
    store: pauseClaimsWhile(store, () => dependencies.firstDown() !== undefined),
    blobs,
    run: imagegateTaskRunner(imagegate),
    clock,
    concurrency: settings.workerConcurrency,
    leaseMs: settings.leaseMs,
    events,
    onTaskFinished,
    onError: (error) => onError(error),
  });

  // The batch lane runs where the Batch API is reachable: with a Gemini API key (the Google API, or the
  // emulator at GOOGLE_GEMINI_BASE_URL). Without one, `lane: "batch"` is refused at submit.
  const batchApiKey = env[config.credentials['gemini-api'].apiKeyEnv];
  const batchLane = batchApiKey
    ? new BatchLane({
        database,
        store,
        blobs,
        registry: imagegate.registry,
        catalog,
        client: new GoogleGenAI({
          apiKey: batchApiKey,
          httpOptions: {
            apiVersion: 'v1beta',
            ...(env.GOOGLE_GEMINI_BASE_URL ? { baseUrl: env.GOOGLE_GEMINI_BASE_URL } : {}),
          },
        }),
        clock,
        ...definedOnly(settings.batch),
        notify: (taskId) => events.notify(taskId),
        onTaskFinished,
        onError,
      })
    : undefined;

  const regressions = new RegressionJobs({
    runs: new RegressionRunStore(database),
    blobs,
    config,
    env,
    clock,
    catalog,
    directory: join(dataDirectory, 'regressions'),
    onError,
  });
  const flows = createFlowService({
    store: serverStorage.flows,
    tasks: store,
    blobs,
    registry: imagegate.registry,
    config,
    catalog,
    clock,
    taskEvents: events,
    batchLane: batchLane !== undefined,
    onTaskCreated: () => worker.wake(),
    cancelTask: (taskId) => worker.cancel(taskId),
    onError,
    onRunFinished: (run, view) => {
      if (run.webhookUrl) {
        webhooks
          .enqueue({
            taskId: run.id,
            apiKeyId: run.ownerKeyId,
            url: run.webhookUrl,
            eventType: `flow_run.${run.status}`,
            payload: view,
          })
          .catch(onError);
      }
    },
  });

  const app = createServerApp({
    store,
    blobs,
    registry: imagegate.registry,
    catalog,
    config,
    clock,
    events,
    keys,
    owners,
    storage: storageHealth,
    probeWrite: () => probeWrite(database, dataDirectory, clock.nowMs()),
    ...(serverStorage.dependencies.length > 0 ? { dependencies } : {}),
    ...(serverStorage.rateLimits ? { rateLimits: serverStorage.rateLimits } : {}),
    target: imagegate.target,
    metrics,
    // Tasks submitted here start at once; the worker's poll finds retries and other processes' tasks.
    onTaskSubmitted: () => worker.wake(),
    onTaskCancelRequested: (taskId) => worker.cancel(taskId),
    openAi: createOpenAiRoutes({
      // Run as tasks of the calling key: the same budget reservation, recorded spend and worker.
      generate: openAiTaskRunner({
        store,
        blobs,
        registry: imagegate.registry,
        clock,
        events,
        estimateCost: estimateTaskCostUsd,
        globalMonthlyBudgetUsd: settings.monthlyBudgetUsd,
        onTaskSubmitted: () => worker.wake(),
        owners,
      }),
      storeImage: async (bytes, mimeType) => {
        const stored = await blobs.put(bytes, mimeType);
        return `${publicBaseUrl()}${storedMediaUri(stored.sha256)}`;
      },
      clock,
    }),
    ...(batchLane ? { batchJobs: batchLane.jobs } : {}),
    webhookRoutes: createWebhookRoutes(webhooks, { ownerOf: (c) => listOwner(callerScope(c)) }),
    regressions,
    flows: flows.routes,
    logError: onError,
    consoleDirectory: options.consoleDirectory ?? defaultConsoleDirectory,
  });

  const { server, address } = await new Promise<{ server: ReturnType<typeof serve>; address: AddressInfo }>(
    (resolveListening, reject) => {
      const listening = serve({ fetch: app.fetch, port: settings.port, hostname: settings.host }, (info) =>
        resolveListening({ server: listening, address: info }),
      );
      listening.once('error', reject);
    },
  ).catch(async (error: unknown) => {
    // Nothing listens (a busy port): release what was opened, the in-process emulator above all, so
    // the process can exit instead of hanging on its open socket.
    await imagegate.close();
    await serverStorage.close();
    throw error;
  });
  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `http://${urlHost}:${address.port}`;
  const publicBaseUrl = () => (settings.publicBaseUrl ?? url).replace(/\/$/, '');
  dependencies.start();
  // Other instances' new tasks wake this worker; their events reach SSE streams served here.
  await serverStorage.listen({
    onClaimable: () => worker.wake(),
    onEvents: (taskId) => events.notify(taskId),
  });
  worker.start();
  batchLane?.start();
  webhooks.start();
  regressions.start();
  await flows.resume();
  // On a shared store another instance may die mid-run: its runs are taken over while this one runs.
  if (deployment.store.kind === 'postgres') flows.runner.keepResuming(sharedFlowResumeIntervalMs);
  const stopRetention = new AbortController();
  const retention = sweepUntilStopped({
    store,
    blobs,
    clock,
    retentionDays: settings.retentionDays,
    signal: stopRetention.signal,
    onError,
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((done) => server.close(() => done()));
      stopRetention.abort();
      await flows.detach();
      await worker.stop({ graceMs: settings.shutdownGraceMs });
      await batchLane?.stop();
      await regressions.stop();
      await webhooks.stop();
      await retention;
      if ('closeAllConnections' in server) server.closeAllConnections();
      await stopped;
      await dependencies.stop();
      await imagegate.close();
      await serverStorage.close();
    })());
  return {
    url,
    port: address.port,
    dataDirectory,
    target: imagegate.target,
    authRequired: auth.kind === 'keys',
    config,
    close,
  };
}

/**
 * A write where tasks and images live, for /healthz: one row in the database and one small file beside
 * the blobs, so a full or read-only disk shows as degraded before a client's submit finds it.
 */
async function probeWrite(
  database: OpenDataDirectory['handle'],
  dataDirectory: string,
  nowMs: number,
): Promise<void> {
  database.exec('CREATE TABLE IF NOT EXISTS health_probe (id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL)');
  database.prepare('INSERT OR REPLACE INTO health_probe (id, at_ms) VALUES (1, ?)').run(nowMs);
  const path = join(dataDirectory, `.health-probe-${process.pid}`);
  await writeFile(path, 'ok', { mode: 0o600 });
  await rm(path, { force: true });
}

/**
 * The webhook signing secret: from the environment, else one generated on first start and kept in the
 * data directory, so signatures stay verifiable across restarts.
 */
async function webhookSecret(
  fromEnv: string | undefined,
  path: string,
  variable: string,
  onNotice: ((line: string) => void) | undefined,
): Promise<string> {
  if (fromEnv) return fromEnv;
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  // 'wx': when two servers start on one directory at once, the first write wins and both read it back.
  await writeFile(path, `${generateWebhookSecret()}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
  onNotice?.(`No ${variable} set: webhooks are signed with the secret kept in ${path}.`);
  return (await readFile(path, 'utf8')).trim();
}

/** The settings given, without the keys left undefined (the batch lane then uses its own defaults). */
function definedOnly<T extends object>(settings: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
