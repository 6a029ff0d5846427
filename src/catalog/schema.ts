import { z } from 'zod';

/**
 * The shape of the built-in model catalog. Every fact carries the source it came from and the day it
 * was checked; a fact nobody could confirm says `value: "unknown"` instead of a guess.
 */

export const platformSchema = z.enum(['gemini-api', 'vertex-ai']);
export type Platform = z.infer<typeof platformSchema>;
export const platforms: readonly Platform[] = platformSchema.options;

export const stageSchema = z.enum(['experimental', 'preview', 'ga', 'deprecated', 'retired']);
export type Stage = z.infer<typeof stageSchema>;

export const aspectRatioSchema = z.enum([
  '1:1',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '4:5',
  '5:4',
  '9:16',
  '16:9',
  '21:9',
  '1:4',
  '4:1',
  '1:8',
  '8:1',
]);
export type AspectRatio = z.infer<typeof aspectRatioSchema>;

/** `imageSize` values exactly as the API spells them (uppercase K; "512" is the 0.5K tier). */
export const imageSizeSchema = z.enum(['512', '1K', '2K', '4K']);
export type ImageSize = z.infer<typeof imageSizeSchema>;

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const UNKNOWN = 'unknown' as const;

/** A value with provenance. `value: "unknown"` marks a fact that no source confirmed. */
export function factSchema<Value extends z.ZodType>(value: Value) {
  return z.object({
    value: z.union([value, z.literal(UNKNOWN)]),
    /** Where the fact comes from: a URL, a document name, or a reference-section name. */
    source: z.string().min(1),
    /** The day the fact was last checked against its source. */
    checkedOn: isoDateSchema,
    note: z.string().optional(),
  });
}
export type Fact<Value> = { value: Value | typeof UNKNOWN; source: string; checkedOn: string; note?: string };

export const pixelSizeSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type PixelSize = z.infer<typeof pixelSizeSchema>;

/** Lifecycle of one model on one platform. A `null` date means "none announced", not "unknown". */
export const platformLifecycleSchema = z.object({
  stage: factSchema(stageSchema),
  releaseDate: factSchema(isoDateSchema.nullable()),
  gaDate: factSchema(isoDateSchema.nullable()),
  /** Earliest announced shutdown: from this day on the platform answers 404 NOT_FOUND. */
  shutdownDate: factSchema(isoDateSchema.nullable()),
  /** The model to move to; for a preview this is its GA twin. */
  successor: factSchema(z.string().nullable()),
});
export type PlatformLifecycle = z.infer<typeof platformLifecycleSchema>;

export const capabilitiesSchema = z.object({
  aspectRatios: factSchema(z.array(aspectRatioSchema).min(1)),
  imageSizes: factSchema(z.array(imageSizeSchema).min(1)),
  /** The size used when a request names none. */
  defaultImageSize: factSchema(imageSizeSchema),
  /** Output pixel size per (image size, aspect ratio). Must cover every supported pair. */
  pixelSizes: factSchema(
    z.partialRecord(imageSizeSchema, z.partialRecord(aspectRatioSchema, pixelSizeSchema)),
  ),
  maxInputImages: factSchema(z.number().int().nonnegative()),
  inputImageMimeTypes: factSchema(z.array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/)).min(1)),
  /** Largest inline request payload in bytes before the Files API is needed. */
  maxInlineRequestBytes: factSchema(z.number().int().positive()),
  videoInput: factSchema(z.boolean()),
  /** Output tokens billed per generated image, per image size. */
  outputTokensPerImage: factSchema(z.partialRecord(imageSizeSchema, z.number().int().positive())),
  inputTokensPerImage: factSchema(z.number().int().positive()),
  inputTokenLimit: factSchema(z.number().int().positive()),
  outputTokenLimit: factSchema(z.number().int().positive()),
  /** Whether the model thinks (and so returns thought signatures). */
  thinking: factSchema(z.boolean()),
  searchGrounding: factSchema(z.enum(['none', 'web', 'web-and-image'])),
  /** Largest `candidateCount` the model accepts in one call. */
  maxCandidateCount: factSchema(z.number().int().positive()),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

/** Gemini Developer API list prices in USD. */
export const pricingSchema = z.object({
  inputPerMillionTokensUsd: factSchema(z.number().nonnegative()),
  textOutputPerMillionTokensUsd: factSchema(z.number().nonnegative()),
  imageOutputPerMillionTokensUsd: factSchema(z.number().nonnegative()),
  perImageUsd: factSchema(z.partialRecord(imageSizeSchema, z.number().nonnegative())),
  /** Batch price as a fraction of the interactive price (0.5 = half). */
  batchPriceFactor: factSchema(z.number().positive().max(1)),
});
export type Pricing = z.infer<typeof pricingSchema>;

export const catalogModelSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  /** Other IDs the API accepts for the same model (e.g. `nano-banana-pro-preview`). */
  aliases: z.array(z.string()).default([]),
  displayName: z.string().min(1),
  /** Models of one family share capabilities and art: a preview and its GA twin. */
  family: z.string().min(1),
  description: z.string().min(1),
  /**
   * What the model answers with. Image models (the default) are what imagegate is for; text models are
   * in the catalog only so flow text nodes get the same lifecycle, fallback and cost handling.
   */
  modality: z.enum(['image', 'text']).default('image'),
  platforms: z.object({
    'gemini-api': platformLifecycleSchema.optional(),
    'vertex-ai': platformLifecycleSchema.optional(),
  }),
  capabilities: capabilitiesSchema,
  pricing: pricingSchema,
});
export type CatalogModel = z.infer<typeof catalogModelSchema>;

export const catalogSchema = z.object({
  /** The day the catalog as a whole was last reviewed. */
  reviewedOn: isoDateSchema,
  models: z.array(catalogModelSchema).min(1),
});
export type Catalog = z.infer<typeof catalogSchema>;
