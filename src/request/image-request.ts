import { z } from 'zod';
import { aspectRatioSchema, imageSizeSchema } from '../catalog/index.js';

/**
 * What the caller asks for, independent of model and platform. Validated once at the boundary (CLI,
 * HTTP, library); the registry adapts it to each candidate's capabilities before the provider sees it.
 */
export const outputMimeTypeSchema = z.enum(['image/png', 'image/jpeg']);
export type OutputMimeType = z.infer<typeof outputMimeTypeSchema>;

export const mediaInputSchema = z.object({
  bytes: z.custom<Uint8Array>(
    (value) => value instanceof Uint8Array,
    'expected bytes (a Uint8Array or Buffer)',
  ),
  /** Sniffed from the bytes, not taken from a file name. */
  mimeType: z.string(),
  /** Where the bytes came from, for messages ("refs/cat.png"). */
  label: z.string().optional(),
});
export type MediaInput = z.infer<typeof mediaInputSchema>;

/** A Gemini `Content` (one turn of a conversation) as JSON, kept opaque so thought signatures survive. */
export const contentSchema = z.object({
  role: z.enum(['user', 'model']),
  parts: z.array(z.record(z.string(), z.unknown())),
});
export type ConversationContent = z.infer<typeof contentSchema>;

export const imageRequestSchema = z.object({
  prompt: z.string().min(1, 'a prompt is required'),
  /** Earlier turns of a multi-turn edit, model turns echoed back unchanged. Default: none. */
  history: z.array(contentSchema).default([]),
  /** Reference images for an edit, in order. Default: none. */
  referenceImages: z.array(mediaInputSchema).default([]),
  /** A video whose frames the image is derived from. Default: none. */
  video: mediaInputSchema.optional(),
  /** Default: the model's default (1:1, or the input image's shape). */
  aspectRatio: aspectRatioSchema.optional(),
  /** Default: the model's default size (1K). */
  imageSize: imageSizeSchema.optional(),
  /** Default: image/png. JPEG is produced by converting the model's PNG where the platform cannot. */
  outputMimeType: outputMimeTypeSchema.default('image/png'),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  systemInstruction: z.string().optional(),
  /** Number of images wanted. Default 1. */
  imageCount: z.number().int().min(1).max(8).default(1),
  /**
   * `text` asks a text model for text only (flow text nodes); `imageCount` is then ignored. Default:
   * images (with text alongside, as image models answer).
   */
  responseModality: z.enum(['image', 'text']).optional(),
});
export type ImageRequest = z.infer<typeof imageRequestSchema>;
export type ImageRequestInput = z.input<typeof imageRequestSchema>;
