import { z } from 'zod';
import { aspectRatioSchema, imageSizeSchema, platformSchema } from '../../catalog/index.js';

/** What one side of a pair ended with; every other engine outcome counts as `error`. */
export const sideOutcomeSchema = z.enum([
  'success',
  'blocked_prompt',
  'blocked_output',
  'no_image',
  'wrong_output',
  'error',
]);
export type SideOutcome = z.infer<typeof sideOutcomeSchema>;

const pixelSizeSchema = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

export const usageRecordSchema = z.object({
  promptTokens: z.number(),
  outputTextTokens: z.number(),
  outputImageTokens: z.number(),
  thoughtsTokens: z.number(),
  totalTokens: z.number(),
});

/** One model's answer to one prompt, as stored in the state file and the JSON report. */
export const sideRecordSchema = z.object({
  /** The model or logical name the side asked for. */
  model: z.string(),
  outcome: sideOutcomeSchema,
  /** The engine's outcome kind (e.g. `unavailable`, `model_retired`) and its message. */
  outcomeKind: z.string(),
  message: z.string().nullable(),
  /** Clock time from the call to its result, waits and retries included. */
  latencyMs: z.number().min(0),
  attempts: z.number().int().min(0),
  usage: usageRecordSchema.nullable(),
  costUsd: z.number().nullable(),
  servedBy: z.object({ modelId: z.string(), platform: platformSchema }).nullable(),
  /** The image kept for this side (also for a `wrong_output` that decoded), path relative to the out dir. */
  image: z
    .object({
      path: z.string(),
      mimeType: z.string(),
      sha256: z.string(),
      ...pixelSizeSchema.shape,
    })
    .nullable(),
});
export type SideRecord = z.infer<typeof sideRecordSchema>;

export const pairScoresSchema = z.object({
  ssim: z.number(),
  perceptualHashDistance: z.number().int(),
  meanDeltaE: z.number(),
  dimensionMismatch: z.boolean(),
  baselineSize: pixelSizeSchema,
  candidateSize: pixelSizeSchema,
});

export const pairParamsSchema = z.object({
  aspectRatio: aspectRatioSchema.optional(),
  imageSize: imageSizeSchema.optional(),
  seed: z.number().int(),
});
export type PairParams = z.infer<typeof pairParamsSchema>;

/** One finished pair: a line of the state file. */
export const pairRecordSchema = z.object({
  key: z.string().regex(/^[0-9a-f]{16}$/),
  promptId: z.string(),
  prompt: z.string(),
  params: pairParamsSchema,
  baseline: sideRecordSchema,
  candidate: sideRecordSchema,
  /** Set when both sides kept an image. */
  scores: pairScoresSchema.nullable(),
  finishedAt: z.string(),
});
export type PairRecord = z.infer<typeof pairRecordSchema>;
