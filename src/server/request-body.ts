import { z } from '@hono/zod-openapi';
import { aspectRatioSchema, imageSizeSchema } from '../catalog/index.js';
import { DEFAULT_MODEL } from '../client/index.js';
import {
  contentSchema,
  definedOnly,
  generationParametersSchema,
  imageCountSchema,
  outputFormatSchema,
  seedSchema,
  temperatureSchema,
  topPSchema,
  type ConversationContent,
  type GenerationParameters,
} from '../request/index.js';
import { invalidRequest, type ApiError } from '../http/index.js';
import {
  MAX_CONTENT_TURNS,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_KEYS,
  MAX_METADATA_VALUE_LENGTH,
  MAX_MODEL_NAME_LENGTH,
  MAX_PARTS_PER_TURN,
  MAX_PROMPT_BYTES,
  MAX_REFERENCE_IMAGES,
  MAX_URL_LENGTH,
  quoteValue,
} from '../http/index.js';

const aspectRatioOrAutoSchema = z.union([aspectRatioSchema, z.literal('auto')]);

const metadataSchema = z
  .record(z.string().min(1).max(MAX_METADATA_KEY_LENGTH), z.string().max(MAX_METADATA_VALUE_LENGTH))
  .refine((metadata) => Object.keys(metadata).length <= MAX_METADATA_KEYS, {
    message: `at most ${MAX_METADATA_KEYS} keys`,
  })
  .openapi({ example: { order: 'A-1042' } });

/** The prompt is capped in bytes, not characters: memory and storage count bytes. */
const promptSchema = z
  .string()
  .min(1, 'a prompt is required')
  .refine((prompt) => Buffer.byteLength(prompt, 'utf8') <= MAX_PROMPT_BYTES, {
    message: `at most ${MAX_PROMPT_BYTES} bytes (UTF-8)`,
  });

const referencesSchema = z.array(z.string().min(1)).max(MAX_REFERENCE_IMAGES);

/** A turn of `contents`, with its parts counted (the provider's schema leaves them open). */
const boundedContentSchema = contentSchema.extend({
  parts: contentSchema.shape.parts.max(MAX_PARTS_PER_TURN),
});

/**
 * The body of `POST /v1/images/generations`. Unknown fields are refused (a misspelt `aspect_ratio` would
 * otherwise be silently ignored). `size`, `resolution` and `reference_images` are the names task-style
 * image APIs use; they mean `aspect_ratio`, `image_size` and `images`.
 */
export const generationBodySchema = z
  .strictObject({
    model: z
      .string()
      .min(1)
      .max(MAX_MODEL_NAME_LENGTH)
      .optional()
      .openapi({
        description: `Logical name or model ID. Default "${DEFAULT_MODEL}".`,
        example: DEFAULT_MODEL,
      }),
    prompt: promptSchema.openapi({ example: 'A lighthouse at dawn' }),
    aspect_ratio: aspectRatioOrAutoSchema
      .optional()
      .openapi({ description: 'Default: the model default (1:1, or the input image shape).' }),
    image_size: imageSizeSchema.optional().openapi({ description: 'Default: the model default (1K).' }),
    output_format: outputFormatSchema.optional().openapi({ description: 'Default png.' }),
    images: referencesSchema.optional().openapi({
      description:
        'Reference images: uploaded file ids (file_…), data: URLs or https URLs, in order. Default none.',
    }),
    contents: z.array(boundedContentSchema).max(MAX_CONTENT_TURNS).optional().openapi({
      description: "Earlier turns: a finished task's result.next_turn_contents. Default none.",
    }),
    temperature: temperatureSchema.optional(),
    top_p: topPSchema.optional(),
    seed: seedSchema.optional(),
    n: imageCountSchema.optional().openapi({ description: 'Images wanted. Default 1.' }),
    system_instruction: promptSchema.optional().openapi({
      description: 'Instructions the model follows for the whole request (style, constraints). Default none.',
    }),
    metadata: metadataSchema.optional().openapi({ description: 'Echoed back on the task. Default {}.' }),
    webhook_url: z
      .url({ protocol: /^https?$/ })
      .max(MAX_URL_LENGTH)
      .optional()
      .openapi({ description: 'Receives the finished task. Default: no webhook.' }),
    lane: z.enum(['online', 'batch']).optional().openapi({
      description:
        'online: run now. batch: through the Gemini Batch API at the batch price, finished by `deadline` (online near it if need be). Default online.',
    }),
    deadline: z.iso.datetime({ offset: true }).optional().openapi({
      description:
        'Batch lane only: finish by this instant (ISO 8601), 2 h to 48 h from now. Default 24 h from now.',
      example: '2026-12-01T06:00:00Z',
    }),
    size: aspectRatioOrAutoSchema.optional().openapi({ description: 'Alias of aspect_ratio.' }),
    resolution: imageSizeSchema.optional().openapi({ description: 'Alias of image_size.' }),
    reference_images: referencesSchema.optional().openapi({ description: 'Alias of images.' }),
  })
  .openapi('GenerationRequest');
export type GenerationBody = z.infer<typeof generationBodySchema>;

/** The request with aliases resolved and defaults filled in: the generation parameters under their own names. */
export interface GenerationSubmission extends GenerationParameters {
  model: string;
  prompt: string;
  /** File ids, data URLs or https URLs, in order. */
  images: string[];
  history: ConversationContent[];
  metadata: Record<string, string>;
  webhookUrl?: string;
  /** `batch`: the batch lane. Absent: online. */
  lane?: 'batch';
  /** Batch lane only: the requested deadline (Unix ms). */
  deadlineMs?: number;
}

/** Resolves the aliases; a field given under both names with different values is a 400 naming both. */
export function canonicalSubmission(
  body: GenerationBody,
): { submission: GenerationSubmission } | { error: ApiError } {
  const aspectRatio = pickOne(body, 'aspect_ratio', 'size');
  if ('error' in aspectRatio) return aspectRatio;
  const imageSize = pickOne(body, 'image_size', 'resolution');
  if ('error' in imageSize) return imageSize;
  const images = pickOne(body, 'images', 'reference_images');
  if ('error' in images) return images;
  const ratio = aspectRatio.value === 'auto' ? undefined : aspectRatio.value;
  if (body.deadline !== undefined && body.lane !== 'batch') {
    return {
      error: invalidRequest(
        'deadline applies to the batch lane only: send lane "batch" with it.',
        'deadline',
      ),
    };
  }
  return {
    submission: {
      model: body.model ?? DEFAULT_MODEL,
      prompt: body.prompt,
      // The body's names for the parameters, renamed here and nowhere else; the schema fills the defaults.
      ...generationParametersSchema.parse(
        definedOnly({
          aspectRatio: ratio,
          imageSize: imageSize.value,
          outputFormat: body.output_format,
          imageCount: body.n,
          temperature: body.temperature,
          topP: body.top_p,
          seed: body.seed,
          systemInstruction: body.system_instruction,
        }),
      ),
      images: images.value ?? [],
      history: body.contents ?? [],
      metadata: body.metadata ?? {},
      ...(body.webhook_url ? { webhookUrl: body.webhook_url } : {}),
      ...(body.lane === 'batch' ? { lane: 'batch' as const } : {}),
      ...(body.deadline !== undefined ? { deadlineMs: Date.parse(body.deadline) } : {}),
    },
  };
}

function pickOne<Canonical extends keyof GenerationBody, Alias extends keyof GenerationBody>(
  body: GenerationBody,
  canonical: Canonical,
  alias: Alias,
): { value: GenerationBody[Canonical] | GenerationBody[Alias] } | { error: ApiError } {
  const canonicalValue = body[canonical];
  const aliasValue = body[alias];
  if (
    canonicalValue !== undefined &&
    aliasValue !== undefined &&
    JSON.stringify(canonicalValue) !== JSON.stringify(aliasValue)
  ) {
    return {
      error: invalidRequest(
        `"${canonical}" (${quoteValue(canonicalValue)}) and its alias "${alias}" (${quoteValue(aliasValue)}) disagree; send one of them.`,
        alias,
        'conflicting_fields',
      ),
    };
  }
  return { value: canonicalValue ?? aliasValue };
}
