import { z } from 'zod';
import {
  MAX_OPENAI_IMAGE_COUNT,
  MAX_OPENAI_PROMPT_CHARACTERS,
  MAX_QUOTED_VALUE_CHARS,
  quoteValue,
} from '../../http/index.js';
import { openAiSizePattern } from './openai-image-shape.js';

/** The OpenAI SDK sends `null` for fields set to null; treat it as absent. */
const absentable = <Schema extends z.ZodType>(schema: Schema) =>
  schema.nullish().transform((value) => value ?? undefined);

/** Multipart sends every value as text; numbers and booleans are read from it. */
const formNumber = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
  z.number(),
);
const formBoolean = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'expected true or false' }),
);

const sizeMessage = 'expected WIDTHxHEIGHT such as "1024x1024" or "1536x1024", or "auto"';

function requestFields(numbers: { number: z.ZodType<number>; boolean: z.ZodType<boolean> }) {
  return {
    model: absentable(z.string().min(1).max(200)),
    prompt: z
      .string({ error: 'a prompt is required' })
      .min(1, 'a prompt is required')
      .max(MAX_OPENAI_PROMPT_CHARACTERS, `at most ${MAX_OPENAI_PROMPT_CHARACTERS} characters`),
    n: absentable(
      numbers.number.pipe(
        z
          .number()
          .int('expected a whole number')
          .min(1, 'at least 1')
          .max(MAX_OPENAI_IMAGE_COUNT, `at most ${MAX_OPENAI_IMAGE_COUNT} images per request`),
      ),
    ),
    size: absentable(
      z.union([z.literal('auto'), z.string().regex(openAiSizePattern, sizeMessage)], { error: sizeMessage }),
    ),
    quality: absentable(z.enum(['low', 'medium', 'high', 'auto', 'standard', 'hd'])),
    response_format: absentable(z.enum(['b64_json', 'url'])),
    output_format: absentable(z.enum(['png', 'jpeg', 'webp'])),
    output_compression: absentable(numbers.number.pipe(z.number().int().min(0).max(100))),
    background: absentable(z.enum(['transparent', 'opaque', 'auto'])),
    moderation: absentable(z.enum(['low', 'auto'])),
    stream: absentable(numbers.boolean),
    partial_images: absentable(numbers.number.pipe(z.number().int().min(0).max(3))),
    style: absentable(z.enum(['vivid', 'natural'])),
    user: absentable(z.string().max(256)),
  };
}

/** `POST /images/generations` body (JSON). Unknown fields are refused, naming them. */
export const openAiGenerationSchema = z.strictObject(
  requestFields({ number: z.number(), boolean: z.boolean() }),
);
export type OpenAiGeneration = z.output<typeof openAiGenerationSchema>;

/** `POST /images/edits` text fields (multipart); the files are read separately. */
export const openAiEditFieldsSchema = z.strictObject({
  ...requestFields({ number: formNumber, boolean: formBoolean }),
  input_fidelity: absentable(z.enum(['high', 'low'])),
});
export type OpenAiEditFields = z.output<typeof openAiEditFieldsSchema>;

/** A refusal of one field, before anything is generated. */
export interface FieldProblem {
  param: string | null;
  code: string;
  message: string;
}

/** The first zod issue as a message naming the field, what was sent and what is allowed. */
export function fieldProblemOf(error: z.ZodError, input: unknown): FieldProblem {
  const issue = error.issues[0];
  if (!issue) return { param: null, code: 'invalid_value', message: 'Invalid request.' };
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys
      .slice(0, 5)
      .map((key) => quoteValue(key))
      .join(', ');
    return {
      param: issue.keys[0]?.slice(0, MAX_QUOTED_VALUE_CHARS) ?? null,
      code: 'unknown_parameter',
      message: `Unknown parameter ${keys}: the OpenAI-compatible endpoint accepts the OpenAI Images API fields only.`,
    };
  }
  const param = issue.path.map(String).join('.') || null;
  const sent =
    param && input && typeof input === 'object' ? (input as Record<string, unknown>)[param] : undefined;
  if (sent === undefined && param) {
    return { param, code: 'missing_required_parameter', message: `Missing required parameter "${param}".` };
  }
  const allowed =
    issue.code === 'invalid_value'
      ? ` Allowed: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}.`
      : '';
  const reason =
    issue.code === 'invalid_value' ? 'not an allowed value' : issue.message.replace(/^Invalid input: /, '');
  return {
    param,
    code: 'invalid_value',
    message: `Invalid "${param ?? 'body'}"${sent === undefined ? '' : ` ${quoteValue(sent)}`}: ${reason}.${allowed}`,
  };
}

/**
 * Fields that parse but that imagegate cannot honour. Each is refused with the reason rather than
 * silently ignored, because the caller would otherwise get something other than what was asked.
 */
export function unsupportedFieldProblem(
  fields: OpenAiGeneration | OpenAiEditFields,
  options: { urlsAvailable: boolean },
): FieldProblem | undefined {
  if (fields.stream) {
    return {
      param: 'stream',
      code: 'unsupported_parameter',
      message: 'Streaming ("stream": true) is not supported; omit it.',
    };
  }
  if (fields.partial_images) {
    return {
      param: 'partial_images',
      code: 'unsupported_parameter',
      message: 'Partial images need streaming, which is not supported; omit "partial_images".',
    };
  }
  if (fields.background === 'transparent') {
    return {
      param: 'background',
      code: 'unsupported_parameter',
      message: 'Gemini image models do not produce transparent backgrounds; use "opaque" or "auto".',
    };
  }
  if (fields.output_format === 'webp') {
    return {
      param: 'output_format',
      code: 'unsupported_parameter',
      message: 'Invalid "output_format" "webp": allowed values are "png" and "jpeg".',
    };
  }
  if (fields.response_format === 'url' && !options.urlsAvailable) {
    return {
      param: 'response_format',
      code: 'unsupported_parameter',
      message: 'This server has no image storage for "response_format": "url"; use "b64_json".',
    };
  }
  return undefined;
}

/** OpenAI's own image model names; they stand for the server's default model. */
export function isOpenAiModelName(model: string): boolean {
  return /^(gpt-image|dall-e|chatgpt-image)/.test(model);
}
