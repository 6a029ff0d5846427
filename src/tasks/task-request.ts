import { z } from 'zod';
import { generationParametersSchema } from '../request/index.js';

/** How a stored request names an image or video in the blob store. */
export const mediaReferenceSchema = z.object({ sha256: z.string(), mimeType: z.string() });

/** The request as stored: the generation parameters (src/request), the model, and media as blob references. */
export const taskRequestSchema = generationParametersSchema.extend({
  model: z.string(),
  prompt: z.string(),
  references: z.array(mediaReferenceSchema),
  video: mediaReferenceSchema.optional(),
  /** Earlier turns (an earlier task's `next_turn_contents`), model turns unchanged. */
  history: z.array(z.unknown()),
  /** `text` for a flow text node: a text model answers with text only. Absent: images. */
  responseModality: z.enum(['image', 'text']).optional(),
});

/** The request as the worker will run it: validated, aliases resolved, media already in the blob store. */
export type TaskRequest = z.output<typeof taskRequestSchema>;

/** A reference image or video held in the blob store (uploaded, or fetched from a URL at submit time). */
export type StoredMediaReference = z.output<typeof mediaReferenceSchema>;

/**
 * A stored row's request as it is read back: the same fields and types, without the limits. A value out of
 * range (a hand-edited row) must fail its own task when the worker validates the request
 * (`imageRequestFromTask`), not every read of the queue that meets the row.
 */
export const storedTaskRequestSchema = taskRequestSchema
  .extend({
    aspectRatio: z.string().optional(),
    imageSize: z.string().optional(),
    outputFormat: z.string(),
    imageCount: z.number(),
    temperature: z.number().optional(),
    topP: z.number().optional(),
    seed: z.number().optional(),
    systemInstruction: z.string().optional(),
  })
  .transform((request) => request as TaskRequest);
