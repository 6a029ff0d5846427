import { z } from 'zod';
import { aspectRatioSchema, imageSizeSchema } from '../catalog/index.js';

/** Images one request may ask for: every Gemini image model's `candidateCount` limit. */
export const MAX_IMAGE_COUNT = 8;

export const outputFormats = ['png', 'jpeg'] as const;
export const outputFormatSchema = z.enum(outputFormats);
export type OutputFormat = z.infer<typeof outputFormatSchema>;

/** The MIME type of an output format, as Vertex AI's `outputMimeType` and image records spell it. */
export function mimeTypeOfFormat(format: OutputFormat): `image/${OutputFormat}` {
  return `image/${format}`;
}

export const imageCountSchema = z.number().int().min(1).max(MAX_IMAGE_COUNT);
export const temperatureSchema = z.number().min(0).max(2);
export const topPSchema = z.number().min(0).max(1);
export const seedSchema = z.number().int();

/**
 * The generation parameters and their limits, defined once. The library options, the CLI flags, both HTTP
 * bodies and the stored task request take these fields from here and only rename them at their edge
 * (`n`, `--top-p`, `top_p`).
 */
export const generationParametersSchema = z.object({
  /** Default: the model's default (1:1, or the input image's shape). */
  aspectRatio: aspectRatioSchema.optional(),
  /** Default: the model's default size (1K). */
  imageSize: imageSizeSchema.optional(),
  /** Default png. The Gemini API answers PNG; JPEG is converted where the platform cannot produce it. */
  outputFormat: outputFormatSchema.default('png'),
  /** Number of images wanted. Default 1. */
  imageCount: imageCountSchema.default(1),
  temperature: temperatureSchema.optional(),
  topP: topPSchema.optional(),
  seed: seedSchema.optional(),
  systemInstruction: z.string().min(1).optional(),
});
export type GenerationParameters = z.output<typeof generationParametersSchema>;

/** The sampling settings a request sets, leaving out the ones it does not (never `undefined` values). */
export function samplingSettingsOf(parameters: {
  temperature?: number | undefined;
  topP?: number | undefined;
  seed?: number | undefined;
  systemInstruction?: string | undefined;
}): Pick<GenerationParameters, 'temperature' | 'topP' | 'seed' | 'systemInstruction'> {
  return definedOnly({
    temperature: parameters.temperature,
    topP: parameters.topP,
    seed: parameters.seed,
    systemInstruction: parameters.systemInstruction || undefined,
  });
}

type MaybeParameters = Partial<{
  [Key in keyof GenerationParameters]: GenerationParameters[Key] | undefined;
}>;

/** The generation parameters among `source`'s fields, without the absent ones. */
export function generationParametersOf(
  source: MaybeParameters & Pick<GenerationParameters, 'outputFormat' | 'imageCount'>,
): GenerationParameters;
export function generationParametersOf(source: MaybeParameters): Partial<GenerationParameters>;
export function generationParametersOf(source: MaybeParameters): Partial<GenerationParameters> {
  return definedOnly({
    aspectRatio: source.aspectRatio,
    imageSize: source.imageSize,
    outputFormat: source.outputFormat,
    imageCount: source.imageCount,
    ...samplingSettingsOf(source),
  });
}

/**
 * An object without its `undefined` fields: with `exactOptionalPropertyTypes`, an absent field and one set
 * to `undefined` are different things, and schemas and the SDK treat them differently.
 */
export function definedOnly<Fields extends Record<string, unknown>>(
  fields: Fields,
): { [Key in keyof Fields]?: Exclude<Fields[Key], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [Key in keyof Fields]?: Exclude<Fields[Key], undefined>;
  };
}
