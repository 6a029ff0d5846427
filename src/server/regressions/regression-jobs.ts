import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../../blobs/index.js';
import type { Catalog } from '../../catalog/index.js';
import type { AspectRatio, ImageSize } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import type { ImagegateConfig } from '../../config/index.js';
import { runRegress, type RegressResult } from '../../tools/regress/index.js';
import type { RegressionInput, RegressionRun, RegressionRunStore } from './regression-run-store.js';

export interface RegressionJobsOptions {
  runs: RegressionRunStore;
  blobs: BlobStore;
  config: ImagegateConfig;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  catalog: Catalog;
  /** Each run keeps its state file and images in `<directory>/<run id>`, so a restart resumes it. */
  directory: string;
  onError?: (error: unknown) => void;
}

/**
 * Runs regression comparisons (the `imagegate regress` code) one at a time in the server process. A
 * run is durable: it is recorded before the 202, its finished pairs are kept in its state file, and a
 * run interrupted by a stop is resumed on the next start, skipping the pairs already done.
 */
export class RegressionJobs {
  private running: Promise<void> | undefined;
  private readonly controller = new AbortController();

  constructor(private readonly options: RegressionJobsOptions) {}

  get store(): RegressionRunStore {
    return this.options.runs;
  }

  /** Picks up unfinished runs. */
  start(): void {
    this.kick();
  }

  submit(run: Pick<RegressionRun, 'id' | 'apiKeyId' | 'input'>): RegressionRun {
    const created = this.options.runs.create({ ...run, createdAtMs: this.options.clock.nowMs() });
    this.kick();
    return created;
  }

  /** Stops taking pairs; the run in progress resumes on the next start. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  private kick(): void {
    if (this.running || this.controller.signal.aborted) return;
    this.running = (async () => {
      for (let next = this.options.runs.unfinished()[0]; next; next = this.options.runs.unfinished()[0]) {
        if (this.controller.signal.aborted) return;
        await this.execute(next);
      }
    })()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running = undefined;
      });
  }

  private async execute(run: RegressionRun): Promise<void> {
    const { runs, clock } = this.options;
    runs.update(run.id, { status: 'running' }, clock.nowMs());
    try {
      const result = await runRegress({
        config: this.options.config,
        env: this.options.env,
        clock,
        catalog: this.options.catalog,
        prompts: run.input.prompts,
        baseline: run.input.baseline,
        candidate: run.input.candidate,
        ...(run.input.aspectRatio ? { aspectRatio: run.input.aspectRatio as AspectRatio } : {}),
        ...(run.input.imageSize ? { imageSize: run.input.imageSize as ImageSize } : {}),
        outDir: join(this.options.directory, run.id),
        onStart: ({ resumed }) => runs.update(run.id, { done: resumed }, clock.nowMs()),
        onPairFinished: ({ done }) => runs.update(run.id, { done }, clock.nowMs()),
        signal: this.controller.signal,
      });
      if (result.isPartial) return;
      runs.update(
        run.id,
        { status: 'success', done: result.pairs.length, result: await this.view(run, result) },
        clock.nowMs(),
      );
    } catch (error) {
      if (this.controller.signal.aborted) return;
      runs.update(
        run.id,
        { status: 'failed', error: error instanceof Error ? error.message : String(error) },
        clock.nowMs(),
      );
    }
  }

  /** The comparison as the API shows it; images moved into the blob store, so thumbnails and downloads work. */
  private async view(run: RegressionRun, result: RegressResult) {
    const outDir = join(this.options.directory, run.id);
    const side = async (record: RegressResult['pairs'][number]['baseline']) => {
      let image: { sha256: string; mime_type: string; width: number; height: number } | null = null;
      if (record.image) {
        const stored = await this.options.blobs.put(
          await readFile(join(outDir, record.image.path)),
          record.image.mimeType,
        );
        image = {
          sha256: stored.sha256,
          mime_type: record.image.mimeType,
          width: record.image.width,
          height: record.image.height,
        };
      }
      return {
        model: record.model,
        outcome: record.outcome,
        message: record.message,
        latency_ms: record.latencyMs,
        cost_usd: record.costUsd,
        served_by: record.servedBy ? `${record.servedBy.modelId} on ${record.servedBy.platform}` : null,
        image,
      };
    };
    const pairs = [];
    for (const pair of result.pairs) {
      pairs.push({
        prompt_id: pair.promptId,
        prompt: pair.prompt,
        category: pair.category,
        reasons: pair.reasons,
        scores: pair.scores
          ? {
              ssim: pair.scores.ssim,
              phash_distance: pair.scores.perceptualHashDistance,
              delta_e: pair.scores.meanDeltaE,
              dimension_mismatch: pair.scores.dimensionMismatch,
            }
          : null,
        baseline: await side(pair.baseline),
        candidate: await side(pair.candidate),
      });
    }
    return {
      verdict: result.summary.verdict,
      verdict_line: result.summary.verdictLine,
      counts: result.summary.counts,
      pairs,
    };
  }
}

export type { RegressionInput };
