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
