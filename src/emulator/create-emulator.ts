import { Hono } from 'hono';
import type { Clock } from '../clock/index.js';
import { builtInCatalog } from '../catalog/index.js';
import { knownValue } from '../catalog/index.js';
import type { Catalog } from '../catalog/index.js';
import { internalError } from './api-errors.js';
import { BatchStore } from './batches/batch-store.js';
import { corsMiddleware } from './cors.js';
import { handleApiRequest } from './dispatch.js';
import type { EmulatorState } from './emulator-state.js';
import { createControlRoutes, EmulatorClock, EmulatorStats, Faults, type Scenario } from './faults/index.js';
import { FileStore } from './files/file-store.js';
import { ResumableUploads } from './files/resumable-upload.js';
import { apiErrorResponse } from './json-response.js';

export interface EmulatorOptions {
  /** The clock the emulated one follows and waits on (default: the system clock). */
  clock?: Clock;
  /** Faults, latency and the starting emulated time (default: none; a well-behaved emulator). */
  scenario?: Scenario;
  /** The model facts to serve (default: the built-in catalog). */
  catalog?: Catalog;
  /** Largest request body in bytes (default: the largest inline payload the catalog allows, else 100 MB). */
  maxRequestBytes?: number;
  /** Emulated time a batch takes from creation to its end (default 60 000 ms; scenario `batches.duration`). */
  batchDurationMs?: number;
  /** Batch jobs end EXPIRED, without results, instead of SUCCEEDED (default false). */
  expireBatches?: boolean;
  /** Each batch results file download answers 503 this many times before it succeeds (default 0). */
  batchResultDownloadFailures?: number;
  /** Emulated time an uploaded video stays PROCESSING (default 2 000 ms). */
  videoProcessingMs?: number;
  /** Origin for upload URLs and file URIs, e.g. `http://emulator:8090` (default: the request's own origin). */
  publicBaseUrl?: string;
  /** API keys answered with 400 API_KEY_INVALID (default: none; every other key is accepted). */
  invalidApiKeys?: readonly string[];
  /**
   * The only API keys accepted; any other gets 400 API_KEY_INVALID, like a wrong key on the real API
   * (default: every key; a scenario's `apiKeys` adds to this list).
   */
  apiKeys?: readonly string[];
  /** Randomness for error rates and latency in [0, 1) (default: seeded from the scenario). */
  random?: () => number;
  /** Where ffmpeg is looked up for video frames: IMAGEGATE_FFMPEG, PATH (default: `process.env`). */
  environment?: NodeJS.ProcessEnv;
}

export interface Emulator {
  /** The Hono app: the Gemini REST API plus the control API under `/_emulator`. */
  app: Hono;
  clock: EmulatorClock;
  faults: Faults;
  stats: EmulatorStats;
}

const fallbackMaxRequestBytes = 100 * 1024 * 1024;

function defaultMaxRequestBytes(catalog: Catalog): number {
  const limits = catalog.models
    .map((model) => knownValue(model.capabilities.maxInlineRequestBytes))
    .filter((limit): limit is number => limit !== undefined);
  // The limit is on the decoded media; base64 in JSON makes the body a third larger.
  return limits.length > 0 ? Math.ceil((Math.max(...limits) * 4) / 3) + 1024 * 1024 : fallbackMaxRequestBytes;
}

/** Builds an emulator instance: state, fault engine and the Hono app serving both APIs. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const catalog = options.catalog ?? builtInCatalog();
  const clock = new EmulatorClock(options.clock);
  const faults = new Faults({
    clock,
    ...(options.scenario ? { scenario: options.scenario } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const stats = new EmulatorStats(clock);
  let responseNumber = 0;
  const state: EmulatorState = {
    catalog,
    clock,
    faults,
    stats,
    files: new FileStore(
      clock,
      options.videoProcessingMs !== undefined ? { videoProcessingMs: options.videoProcessingMs } : {},
    ),
    uploads: new ResumableUploads(),
    batches: new BatchStore(
      clock,
      {
        ...(options.batchDurationMs !== undefined ? { batchDurationMs: options.batchDurationMs } : {}),
        ...(options.expireBatches !== undefined ? { expireBatches: options.expireBatches } : {}),
        ...(options.batchResultDownloadFailures !== undefined
          ? { resultDownloadFailures: options.batchResultDownloadFailures }
          : {}),
      },
      // The options are the defaults; a scenario's `batches` section overrides them from its next job on.
      () => faults.scenario.batches,
    ),
    maxRequestBytes: options.maxRequestBytes ?? defaultMaxRequestBytes(catalog),
    invalidApiKeys: new Set(options.invalidApiKeys ?? []),
    acceptedApiKeys: () => {
      const listed = [...(options.apiKeys ?? []), ...(faults.scenario.apiKeys ?? [])];
      return listed.length > 0 ? new Set(listed) : undefined;
    },
    publicBaseUrl: options.publicBaseUrl,
    environment: options.environment ?? process.env,
    nextResponseNumber: () => ++responseNumber,
  };

  const app = new Hono();
  app.use('*', corsMiddleware());
  app.route('/_emulator', createControlRoutes({ clock, faults, stats }));
  app.all('*', (context) => handleApiRequest(state, context.req.raw, context.env));
  app.onError((error) => {
    // A bug must cost one call a 500 in Google's shape, never the process.
    console.error('imagegate emulator: unexpected error', error);
    return apiErrorResponse(internalError());
  });
  return { app, clock, faults, stats };
}
