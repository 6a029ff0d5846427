import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { MAX_REFERENCE_IMAGE_BYTES, REFERENCE_IMAGE_TYPES } from '../../client/index.js';
import { DEFAULT_MODEL } from '../../client/index.js';
import { systemClock, type Clock } from '../../clock/index.js';
import { checkMediaBytes, MediaInputError } from '../../media/index.js';
import { definedOnly, imageRequestSchema, type ImageRequest, type MediaInput } from '../../request/index.js';
import { ApiError, errorResponse } from '../../http/index.js';
import type { ApiKeyRecord, AuthEnv } from '../auth/index.js';
import { DEFAULT_MAX_OPENAI_EDIT_BODY_BYTES, MAX_OPENAI_GENERATION_BODY_BYTES } from '../../http/index.js';
import { openAiErrorFor } from './openai-error.js';
import { imageShapeFor } from './openai-image-shape.js';
import {
  fieldProblemOf,
  isOpenAiModelName,
  openAiEditFieldsSchema,
  openAiGenerationSchema,
  unsupportedFieldProblem,
  type FieldProblem,
  type OpenAiEditFields,
  type OpenAiGeneration,
} from './openai-request.js';

/** What an OpenAI-compatible answer is made of (the library's `GenerationResult` has all of it). */
export interface OpenAiImages {
  images: { bytes: Buffer; mimeType: string; width: number; height: number }[];
  servedBy: { platform: string; modelId: string };
  usage: { promptTokens: number; totalTokens: number };
}

/** Runs one request to completion for the calling key (the server runs it as a task; see `openAiTaskRunner`). */
export type OpenAiGenerate = (
  request: ImageRequest,
  model: string,
  signal: AbortSignal | undefined,
  caller: { apiKey: ApiKeyRecord | undefined },
) => Promise<OpenAiImages>;

export interface OpenAiRoutesOptions {
  /** Runs one request to completion (the engine with retries and fallbacks). */
  generate: OpenAiGenerate;
  /** Stores an image and returns its absolute URL, for `response_format: "url"`. Default: none (url refused). */
  storeImage?: (bytes: Buffer, mimeType: string) => Promise<string>;
  /** The logical name OpenAI model names (`gpt-image-1`, `dall-e-3`) and requests without a model use. Default: `image_fast`. */
  defaultModel?: string;
  /** For `created`. Default: the system clock. */
  clock?: Clock;
  /** Largest multipart body of an edit. Default: 64 MiB. */
  maxEditBodyBytes?: number;
}

/** Unless the server sets another (see `maxEditBodyBytes`). */
export const DEFAULT_MAX_EDIT_BODY_BYTES = DEFAULT_MAX_OPENAI_EDIT_BODY_BYTES;

/** The imagegate request fields behind each OpenAI field, for naming the field in errors. */
const openAiFieldNames: Record<string, string> = {
  prompt: 'prompt',
  imageCount: 'n',
  aspectRatio: 'size',
  imageSize: 'size',
  outputFormat: 'output_format',
  referenceImages: 'image',
};

/**
 * `POST /images/generations` and `POST /images/edits` in the OpenAI Images API shapes, synchronous, so
 * the official `openai` client works with its base URL pointed here (mounted at `/openai/v1`). Errors use
 * OpenAI's `{error: {message, type, param, code}}`.
 */
export function createOpenAiRoutes(options: OpenAiRoutesOptions): Hono<AuthEnv> {
  const routes = new Hono<AuthEnv>();
  const clock = options.clock ?? systemClock;
  const defaultModel = options.defaultModel ?? DEFAULT_MODEL;
  const tooLarge = (limitBytes: number) => (c: Context) =>
    errorResponse(
      c,
      new ApiError(
        413,
        'invalid_request_error',
        'request_too_large',
        `The request body is larger than ${limitBytes} bytes.`,
      ),
    );

  const respond = async (
    c: Context<AuthEnv>,
    fields: OpenAiGeneration | OpenAiEditFields,
    references: MediaInput[],
  ) => {
    const problem = unsupportedFieldProblem(fields, { urlsAvailable: options.storeImage !== undefined });
    if (problem) return fieldError(c, problem);
    const shape = imageShapeFor(fields.size, fields.quality);
    const parsed = imageRequestSchema.safeParse({
      prompt: fields.prompt,
      referenceImages: references,
      ...shape,
      ...definedOnly({ outputFormat: fields.output_format, imageCount: fields.n }),
    });
    if (!parsed.success) return fieldError(c, fieldProblemOf(parsed.error, fields));
    const model = fields.model === undefined || isOpenAiModelName(fields.model) ? defaultModel : fields.model;
    let result: OpenAiImages;
    try {
      result = await options.generate(parsed.data, model, c.req.raw.signal, { apiKey: c.get('apiKey') });
    } catch (error) {
      return errorResponse(c, openAiErrorFor(error, openAiFieldNames));
    }
    const data = await Promise.all(
      result.images.map(async (image) =>
        fields.response_format === 'url' && options.storeImage
          ? { url: await options.storeImage(image.bytes, image.mimeType) }
          : { b64_json: image.bytes.toString('base64') },
      ),
    );
    const first = result.images[0];
    c.header('x-imagegate-served-by', `${result.servedBy.platform}/${result.servedBy.modelId}`);
    return c.json({
      created: Math.floor(clock.nowMs() / 1000),
      data,
      background: 'opaque',
      output_format: first?.mimeType === 'image/jpeg' ? 'jpeg' : 'png',
      ...(first ? { size: `${first.width}x${first.height}` } : {}),
      usage: {
        input_tokens: result.usage.promptTokens,
        output_tokens: result.usage.totalTokens - result.usage.promptTokens,
        total_tokens: result.usage.totalTokens,
      },
    });
  };

  routes.post(
    '/images/generations',
    bodyLimit({
      maxSize: MAX_OPENAI_GENERATION_BODY_BYTES,
      onError: tooLarge(MAX_OPENAI_GENERATION_BODY_BYTES),
    }),
    async (c) => {
      const body = await c.req.json<unknown>().catch(() => undefined);
      if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
        return fieldError(c, {
          param: null,
          code: 'invalid_json',
          message: 'The body must be a JSON object with at least "prompt" (Content-Type: application/json).',
        });
      }
      const fields = parseFields(openAiGenerationSchema, body);
      if ('problem' in fields) return fieldError(c, fields.problem);
      return respond(c, fields.value, []);
    },
  );

  const maxEditBodyBytes = options.maxEditBodyBytes ?? DEFAULT_MAX_EDIT_BODY_BYTES;
  routes.post(
    '/images/edits',
    bodyLimit({ maxSize: maxEditBodyBytes, onError: tooLarge(maxEditBodyBytes) }),
    async (c) => {
      if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
        return fieldError(c, {
          param: null,
          code: 'invalid_content_type',
          message: 'Edits take multipart/form-data with "image" (or several "image[]") and "prompt".',
        });
      }
      const form = await c.req.parseBody({ all: true }).catch(() => undefined);
      if (!form) {
        return fieldError(c, {
          param: null,
          code: 'invalid_body',
          message: 'The multipart body could not be read.',
        });
      }
      const split = splitEditForm(form);
      if ('problem' in split) return fieldError(c, split.problem);
      const fields = parseFields(openAiEditFieldsSchema, split.fields);
      if ('problem' in fields) return fieldError(c, fields.problem);
      const references: MediaInput[] = [];
      for (const [index, file] of split.images.entries()) {
        const param = split.images.length > 1 ? `image[${index}]` : 'image';
        try {
          const bytes = new Uint8Array(await file.arrayBuffer());
          references.push(
            checkMediaBytes(bytes, file.name || param, {
              allowedTypes: REFERENCE_IMAGE_TYPES,
              maxBytes: MAX_REFERENCE_IMAGE_BYTES,
              role: 'image',
            }),
          );
        } catch (error) {
          if (!(error instanceof MediaInputError)) throw error;
          return fieldError(c, { param, code: 'invalid_image', message: error.message });
        }
      }
      return respond(c, fields.value, references);
    },
  );

  return routes;
}

function parseFields<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): { value: z.output<Schema> } | { problem: FieldProblem } {
  const parsed = schema.safeParse(input);
  return parsed.success ? { value: parsed.data } : { problem: fieldProblemOf(parsed.error, input) };
}

type FormValue = string | File | (string | File)[];

/** Separates the uploaded images (`image` or `image[]`) from the text fields; refuses masks and repeats. */
function splitEditForm(
  form: Record<string, FormValue>,
): { images: File[]; fields: Record<string, string> } | { problem: FieldProblem } {
  const images: File[] = [];
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(form)) {
    const values = Array.isArray(value) ? value : [value];
    if (name === 'image' || name === 'image[]') {
      for (const entry of values) {
        if (typeof entry === 'string') {
          return {
            problem: {
              param: 'image',
              code: 'invalid_image',
              message: '"image" must be a file upload, not text.',
            },
          };
        }
        images.push(entry);
      }
    } else if (name === 'mask') {
      return {
        problem: {
          param: 'mask',
          code: 'unsupported_parameter',
          message:
            'Masks are not supported: Gemini edits follow the prompt instead. Describe the region to change in "prompt".',
        },
      };
    } else if (values.length !== 1 || typeof values[0] !== 'string') {
      return {
        problem: {
          param: name,
          code: 'invalid_value',
          message: `"${name}" must be sent once, as text.`,
        },
      };
    } else {
      fields[name] = values[0];
    }
  }
  if (images.length === 0) {
    return {
      problem: {
        param: 'image',
        code: 'missing_required_parameter',
        message: 'Missing required parameter "image".',
      },
    };
  }
  return { images, fields };
}

function fieldError(c: Context, problem: FieldProblem): Response {
  return errorResponse(
    c,
    new ApiError(400, 'invalid_request_error', problem.code, problem.message, problem.param),
  );
}
