import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { Platform } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import type { LocalBatchLane } from '../../batch/index.js';
import type { GenerationResult, Imagegate } from '../../client/index.js';
import { ImageGenerationError, type Attempt } from '../../engine/index.js';
import { addUsage, zeroUsage, type Usage } from '../../outcome/index.js';
import type { PairParams, SideOutcome, SideRecord } from './pair-record.js';
import type { ResponseCapture } from './response-capture.js';

/** Sub-folder of the out directory that holds the full-size images. */
export const imagesFolderName = 'images';

export interface SideRun {
  client: Imagegate;
  capture: ResponseCapture;
  clock: Clock;
  outDir: string;
  pairKey: string;
  side: 'baseline' | 'candidate';
  model: string;
  platform: Platform | undefined;
  prompt: string;
  params: PairParams;
  signal?: AbortSignal | undefined;
  /** Set: the side goes through this batch lane instead of the online engine. */
  batchLane?: LocalBatchLane | undefined;
}

export interface SideResult {
  record: SideRecord;
  /** The kept image's bytes, for scoring without reading the file back. */
  imageBytes: Buffer | undefined;
}

const outcomeBySideKind: Partial<Record<string, SideOutcome>> = {
  blocked_prompt: 'blocked_prompt',
  blocked_output: 'blocked_output',
  no_image: 'no_image',
  wrong_output: 'wrong_output',
};

/**
 * One prompt on one model through the engine (routes, retries and rate limits apply). Failures the
 * engine reports become the side's outcome; anything else (bad input, a crash) propagates.
 */
export async function runSide(run: SideRun): Promise<SideResult> {
  const startedAtMs = run.clock.nowMs();
  return run.capture.within(async (slot) => {
    try {
      const result = await generate(run);
      const image = result.images[0]!;
      const path = await keepImage(run, image.bytes, image.mimeType);
      return {
        imageBytes: image.bytes,
        record: {
          model: run.model,
          outcome: 'success',
          outcomeKind: 'success',
          message: result.warnings.length > 0 ? result.warnings.join('; ') : null,
          latencyMs: run.clock.nowMs() - startedAtMs,
          attempts: result.attempts.length,
          usage: result.usage,
          costUsd: result.costUsd ?? null,
          servedBy: result.servedBy,
          image: {
            path,
            mimeType: image.mimeType,
            sha256: image.sha256,
            width: image.width,
            height: image.height,
          },
        },
      };
    } catch (error) {
      if (!(error instanceof ImageGenerationError)) throw error;
      const kind = error.outcome.kind;
      const outcome = outcomeBySideKind[kind] ?? 'error';
      const kept =
        outcome === 'wrong_output' ? await keepCapturedImage(run, slot.lastImage?.bytes) : undefined;
      const lastAttempt = error.attempts.at(-1);
      return {
        imageBytes: kept?.bytes,
        record: {
          model: run.model,
          outcome,
          outcomeKind: kind,
          message: error.outcome.message,
          latencyMs: run.clock.nowMs() - startedAtMs,
          attempts: error.attempts.length,
          usage: usageOf(error.attempts),
          costUsd: null,
          servedBy: lastAttempt ? { modelId: lastAttempt.modelId, platform: lastAttempt.platform } : null,
          image: kept?.image ?? null,
        },
      };
    }
  });
}

/** The same request online or through the batch lane: one PNG, the pair's parameters and seed. */
function generate(run: SideRun): Promise<GenerationResult> {
  const request = {
    prompt: run.prompt,
    model: run.model,
    ...(run.params.aspectRatio ? { aspectRatio: run.params.aspectRatio } : {}),
    ...(run.params.imageSize ? { imageSize: run.params.imageSize } : {}),
    seed: run.params.seed,
  };
  // The batch lane sends a side to its route's first model when that is on the Gemini API, else online.
  if (run.batchLane) return run.batchLane.generate({ ...request, imageCount: 1, outputFormat: 'png' });
  return run.client.generateImage(
    {
      ...request,
      ...(run.platform ? { platform: run.platform } : {}),
      n: 1,
      outputFormat: 'png',
      ...(run.signal ? { signal: run.signal } : {}),
    },
    {},
  );
}

function usageOf(attempts: Attempt[]): Usage | null {
  const billed = attempts.filter((attempt) => attempt.usage);
  return billed.length > 0 ? billed.reduce((sum, attempt) => addUsage(sum, attempt.usage!), zeroUsage) : null;
}

/** A rejected image is kept only when it decodes: it is then compared like any other. */
async function keepCapturedImage(
  run: SideRun,
  bytes: Buffer | undefined,
): Promise<{ bytes: Buffer; image: NonNullable<SideRecord['image']> } | undefined> {
  if (!bytes) return undefined;
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { failOn: 'truncated' }).metadata();
  } catch {
    return undefined;
  }
  const mimeType = metadata.format === 'jpeg' ? 'image/jpeg' : `image/${metadata.format}`;
  const path = await keepImage(run, bytes, mimeType);
  return {
    bytes,
    image: {
      path,
      mimeType,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      width: metadata.width,
      height: metadata.height,
    },
  };
}

/** Writes through a temporary name so an interrupted run never leaves half an image. */
async function keepImage(run: SideRun, bytes: Buffer, mimeType: string): Promise<string> {
  const extension = mimeType === 'image/jpeg' ? 'jpg' : mimeType === 'image/webp' ? 'webp' : 'png';
  const relativePath = `${imagesFolderName}/${run.pairKey}-${run.side}.${extension}`;
  const fullPath = join(run.outDir, relativePath);
  await mkdir(join(run.outDir, imagesFolderName), { recursive: true });
  const temporary = `${fullPath}.${process.pid}.partial`;
  await writeFile(temporary, bytes);
  await rename(temporary, fullPath);
  return relativePath;
}
