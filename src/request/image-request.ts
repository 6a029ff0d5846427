import { z } from 'zod';
import { generationParametersSchema } from './generation-parameters.js';

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

/**
 * What the caller asks for: the generation parameters, the prompt and its media, independent of model and platform. Validated once at the boundary (CLI,
 * HTTP, library); the registry adapts it to each candidate's capabilities before the provider sees it.
 */
export const imageRequestSchema = generationParametersSchema.extend({
  prompt: z.string().min(1, 'a prompt is required'),
  /** Earlier turns of a multi-turn edit, model turns echoed back unchanged. Default: none. */
  history: z.array(contentSchema).default([]),
  /** Reference images for an edit, in order. Default: none. */
  referenceImages: z.array(mediaInputSchema).default([]),
  /** A video whose frames the image is derived from. Default: none. */
  video: mediaInputSchema.optional(),
  /**
   * `text` asks a text model for text only (flow text nodes); `imageCount` is then ignored. Default:
   * images (with text alongside, as image models answer).
   */
  responseModality: z.enum(['image', 'text']).optional(),
});
export type ImageRequest = z.infer<typeof imageRequestSchema>;
export type ImageRequestInput = z.input<typeof imageRequestSchema>;
