import { join } from 'node:path';
import type { GoogleGenAI } from '@google/genai';
import { LocalBatchLane, type LocalBatchLaneSettings } from '../../batch/index.js';
import { builtInCatalog } from '../../catalog/index.js';
import type { AspectRatio, ImageSize, Platform } from '../../catalog/index.js';
import { systemClock, type Clock } from '../../clock/index.js';
import { connectProvider } from '../../client/index.js';
import { Imagegate, type ImagegateOptions } from '../../client/index.js';
import { loadConfig } from '../../config/index.js';
import { judgePair } from './pair-category.js';
import { pairKey, seedForPrompt } from './pair-key.js';
import type { PairParams, PairRecord } from './pair-record.js';
import type { RegressPrompt } from './prompt-set.js';
import { ResponseCapture } from './response-capture.js';
import { runSide } from './run-side.js';
import { ScoringPool } from './scoring-pool.js';
import { appendFinishedPair, readFinishedPairs, stateFileName } from './state-file.js';
import { judgePairs, summarise, type JudgedPair, type RegressSummary } from './summary.js';
import { defaultThresholds, type RegressThresholds } from './thresholds.js';

/** Pairs in flight at once when the caller names no number. */
export const defaultRegressConcurrency = 2;

/** Config, credentials, clock, provider, catalog and notices work as for an `Imagegate` client. */
export interface RegressRunOptions extends Pick<
  ImagegateOptions,
  'config' | 'env' | 'clock' | 'provider' | 'catalog' | 'onNotice'
> {
  prompts: RegressPrompt[];
  /** Model ID or logical name the comparison starts from. */
  baseline: string;
  /** Model ID or logical name being considered. */
  candidate: string;
  /** For every prompt that sets none. Default: the model's default. */
  aspectRatio?: AspectRatio;
  /** For every prompt that sets none. Default: the model's default. */
  imageSize?: ImageSize;
  /** Seed for every prompt. Default: one derived from each prompt's text, the same on both sides. */
  seed?: number;
  /** Restrict both sides to one platform. Default: each route decides. */
  platform?: Platform;
  /** Pairs run at once, each with its two sides together. Default 2. */
  concurrency?: number;
  /** Holds the state file, the images and the reports. Required. */
  outDir: string;
  /** Default: `defaultThresholds`. */
  thresholds?: RegressThresholds;
  /** Called once before any call, with the number of pairs already finished by an earlier run. */
  onStart?: (progress: { total: number; resumed: number }) => void;
  /** Called as each pair finishes (not for resumed pairs). Default: nothing. */
  onPairFinished?: (progress: { done: number; total: number; pair: JudgedPair }) => void;
  /** Stops taking new pairs; pairs cut short are not recorded and run again next time. */
  signal?: AbortSignal;
  /**
   * Runs every side through the batch lane (half the online price) instead of online: all pending pairs are
   * submitted at once and gathered into jobs per model; a side the lane cannot finish runs online. Default:
   * online.
   */
  batch?: RegressBatchOptions;
}

export interface RegressBatchOptions {
  /** An `@google/genai` client for the Gemini API the jobs are created on; the online lane must use the same. */
  client: GoogleGenAI;
  /** Every side's deadline (Unix ms). Default: 24 h after it is submitted. */
  deadlineMs?: number;
  settings?: LocalBatchLaneSettings;
  /** Job progress lines. Default: nothing. */
  onProgress?: (line: string) => void;
}

export interface RegressResult {
  models: { baseline: string; candidate: string };
  params: { aspectRatio?: AspectRatio; imageSize?: ImageSize; seed?: number; platform?: Platform };
  thresholds: RegressThresholds;
  /** Every pair of the prompt set, in prompt order. */
  pairs: JudgedPair[];
  summary: RegressSummary;
  /** Pairs taken from the state file instead of being run again. */
  resumedPairs: number;
  /** Whether the run stopped early (cancelled); the summary then covers only the finished pairs. */
  isPartial: boolean;
}

interface PlannedPair {
  key: string;
  prompt: RegressPrompt;
  params: PairParams;
}

/**
 * Runs every prompt on both models with identical parameters and seed, scores each pair that has two
 * images, and records each finished pair in `<outDir>/state.jsonl` so that a re-run skips it.
 */
export async function runRegress(options: RegressRunOptions): Promise<RegressResult> {
  const thresholds = options.thresholds ?? defaultThresholds;
  const clock = options.clock ?? systemClock;
  const statePath = join(options.outDir, stateFileName);
  const planned = planPairs(options);
  const finished = await readFinishedPairs(statePath);
  const pending = planned.filter((pair) => !finished.has(pair.key));
  const resumed = planned.length - pending.length;
  options.onStart?.({ total: planned.length, resumed });

  if (pending.length > 0) {
    const { client, capture, close } = await openClient(options, clock);
    let batchLane: LocalBatchLane | undefined;
    const scoring = new ScoringPool();
    try {
      // Unknown or retired names fail here, before any pair is run.
      client.resolve(options.baseline, options.platform);
      client.resolve(options.candidate, options.platform);
      if (options.batch) {
        batchLane = await LocalBatchLane.open({
          imagegate: client,
          client: options.batch.client,
          catalog: options.catalog ?? builtInCatalog(),
          clock,
          ...(options.batch.deadlineMs !== undefined ? { deadlineMs: options.batch.deadlineMs } : {}),
          ...(options.batch.settings ? { settings: options.batch.settings } : {}),
          ...(options.batch.onProgress ? { onProgress: options.batch.onProgress } : {}),
        });
      }
      let done = resumed;
      await forEachConcurrently(
        pending,
        // Batch sides only wait: every pair is submitted at once, so they share jobs.
        batchLane ? pending.length : (options.concurrency ?? defaultRegressConcurrency),
        options.signal,
        async (pair) => {
          const record = await runPair(pair, options, { client, capture, clock, batchLane, scoring });
          if (options.signal?.aborted) return;
          await appendFinishedPair(statePath, record);
          finished.set(record.key, record);
          done++;
          options.onPairFinished?.({
            done,
            total: planned.length,
            pair: { ...record, ...judgePair(record, thresholds) },
          });
        },
      );
    } finally {
      await batchLane?.close();
      await scoring.close();
      await close();
    }
  }

  const records = planned.flatMap((pair) => {
    const record = finished.get(pair.key);
    return record ? [record] : [];
  });
  const pairs = judgePairs(records, thresholds);
  const models = { baseline: options.baseline, candidate: options.candidate };
  return {
    models,
    params: {
      ...(options.aspectRatio ? { aspectRatio: options.aspectRatio } : {}),
      ...(options.imageSize ? { imageSize: options.imageSize } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.platform ? { platform: options.platform } : {}),
    },
    thresholds,
    pairs,
    summary: summarise(pairs, models),
    resumedPairs: resumed,
    isPartial: records.length < planned.length,
  };
}

function planPairs(options: RegressRunOptions): PlannedPair[] {
  return options.prompts.map((prompt) => {
    const aspectRatio = prompt.aspectRatio ?? options.aspectRatio;
    const imageSize = prompt.imageSize ?? options.imageSize;
    const params: PairParams = {
      ...(aspectRatio ? { aspectRatio } : {}),
      ...(imageSize ? { imageSize } : {}),
      seed: options.seed ?? seedForPrompt(prompt.prompt),
    };
    return {
      key: pairKey({
        prompt: prompt.prompt,
        baseline: options.baseline,
        candidate: options.candidate,
        params,
      }),
      prompt,
      params,
    };
  });
}

async function openClient(
  options: RegressRunOptions,
  clock: Clock,
): Promise<{ client: Imagegate; capture: ResponseCapture; close: () => Promise<void> }> {
  const env = options.env ?? process.env;
  const catalog = options.catalog ?? builtInCatalog();
  const config =
    typeof options.config === 'object'
      ? options.config
      : (
          await loadConfig({
            ...(options.config ? { path: options.config } : {}),
            env,
            clock,
            catalog,
          })
        ).config;
  const connected = options.provider
    ? { provider: options.provider, notice: undefined, close: async () => {} }
    : await connectProvider({ config, env, catalog, clock });
  if (connected.notice) options.onNotice?.(connected.notice);
  const capture = new ResponseCapture();
  const client = await Imagegate.create({
    config,
    env,
    clock,
    catalog,
    provider: capture.wrap(connected.provider),
  });
  return {
    client,
    capture,
    close: async () => {
      await client.close();
      await connected.close();
    },
  };
}

async function runPair(
  pair: PlannedPair,
  options: RegressRunOptions,
  shared: {
    client: Imagegate;
    capture: ResponseCapture;
    clock: Clock;
    batchLane: LocalBatchLane | undefined;
    scoring: ScoringPool;
  },
): Promise<PairRecord> {
  const side = (which: 'baseline' | 'candidate') =>
    withOwnSignal(options.signal, (signal) =>
      runSide({
        ...shared,
        outDir: options.outDir,
        pairKey: pair.key,
        side: which,
        model: options[which],
        platform: options.platform,
        prompt: pair.prompt.prompt,
        params: pair.params,
        signal,
      }),
    );
  const [baseline, candidate] = await Promise.all([side('baseline'), side('candidate')]);
  const scores =
    baseline.imageBytes && candidate.imageBytes
      ? await shared.scoring.score(baseline.imageBytes, candidate.imageBytes)
      : null;
  return {
    key: pair.key,
    promptId: pair.prompt.id,
    prompt: pair.prompt.prompt,
    params: pair.params,
    baseline: baseline.record,
    candidate: candidate.record,
    scores,
    finishedAt: new Date(shared.clock.nowMs()).toISOString(),
  };
}

/**
 * Gives one side a signal of its own that follows the run's: the SDK leaves a listener on every signal it
 * is handed, and one shared signal over hundreds of calls would collect them all.
 */
async function withOwnSignal<T>(
  runSignal: AbortSignal | undefined,
  work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (!runSignal) return work(undefined);
  const controller = new AbortController();
  const follow = () => controller.abort(runSignal.reason);
  if (runSignal.aborted) follow();
  else runSignal.addEventListener('abort', follow, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    runSignal.removeEventListener('abort', follow);
  }
}

/** Runs `work` over `items` with at most `limit` in flight; stops taking new items once `signal` aborts. */
async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
