import { z } from 'zod';
import { aspectRatioSchema, platformSchema } from '../catalog/index.js';
import { generationParametersSchema, mediaInputSchema } from '../request/index.js';

/** The logical name used when a call names no model. */
export const DEFAULT_MODEL = 'image_fast';

/** Reference images above this size are refused before any call (the model downsamples them anyway). */
export const MAX_REFERENCE_IMAGE_BYTES = 20 * 1024 * 1024;
/** The Files API's limit per file. */
export const MAX_VIDEO_BYTES = 2 * 1024 * 1024 * 1024;
/** Every image type any Gemini image model accepts; the registry narrows this per model. */
export const REFERENCE_IMAGE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/heic',
  'image/heif',
] as const;
export const VIDEO_TYPES = ['video/mp4', 'video/quicktime', 'video/webm'] as const;

/** A file path, or bytes already in memory. */
export const mediaSourceSchema = z.union([z.string().min(1), mediaInputSchema]);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

const parameters = generationParametersSchema.shape;

/** The request's generation parameters under the library's names (`n` is the request's `imageCount`). */
const sharedOptions = {
  /** Logical name or concrete model ID. Default `image_fast`. */
  model: z.string().min(1).default(DEFAULT_MODEL),
  /** Restrict a concrete model ID to one platform. Default: the route's platforms. */
  platform: platformSchema.optional(),
  aspectRatio: parameters.aspectRatio,
  imageSize: parameters.imageSize,
  outputFormat: parameters.outputFormat,
  n: parameters.imageCount,
  temperature: parameters.temperature,
  topP: parameters.topP,
  seed: parameters.seed,
  systemInstruction: parameters.systemInstruction,
  signal: z.instanceof(AbortSignal).optional(),
};
const sharedOptionsSchema = z.object(sharedOptions);
/** The options every method shares, parsed (defaults filled in). */
export type SharedOptions = z.output<typeof sharedOptionsSchema>;

export const generateImageOptionsSchema = z.object({
  prompt: z.string().trim().min(1, 'a prompt is required'),
  /** Reference images (paths or bytes). Default none. */
  referenceImages: z.array(mediaSourceSchema).max(64).default([]),
  ...sharedOptions,
});
export type GenerateImageOptions = z.input<typeof generateImageOptionsSchema>;

export const editImageOptionsSchema = z.object({
  prompt: z.string().trim().min(1, 'a prompt is required'),
  /** The image(s) to edit: at least one. */
  images: z.array(mediaSourceSchema).min(1, 'at least one image to edit is required').max(64),
  ...sharedOptions,
});
export type EditImageOptions = z.input<typeof editImageOptionsSchema>;

export const thumbnailOptionsSchema = z.object({
  /** Default: a prompt asking for an eye-catching thumbnail of the video. */
  prompt: z
    .string()
    .trim()
    .min(1)
    .default('Create an eye-catching thumbnail that captures the main subject and mood of this video.'),
  ...sharedOptions,
  /** Default 16:9, the usual video thumbnail shape. */
  aspectRatio: aspectRatioSchema.default('16:9'),
});
export type ThumbnailOptions = z.input<typeof thumbnailOptionsSchema>;

export const chatOptionsSchema = sharedOptionsSchema;
export type ChatOptions = z.input<typeof chatOptionsSchema>;
