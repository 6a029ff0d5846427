import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { openAiOutcomeStatuses } from './openai-error.js';
import { openAiEditFieldsSchema, openAiGenerationSchema } from './openai-request.js';
import { outputFormatSchema } from '../../request/index.js';

/*
 * The OpenAI-compatible routes parse their own bodies (their errors must be OpenAI's shape, which the
 * OpenAPI router's validation hook would not give), so they are plain Hono routes. Their operations are
 * registered here against the same request schemas the handlers parse with, so /openapi.json lists them.
 */

const openAiErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().openapi({ example: 'invalid_request_error' }),
      param: z.string().nullable().openapi({ example: 'size' }),
      code: z.string().nullable().openapi({ example: 'invalid_value' }),
    }),
  })
  .openapi('OpenAiError');

const openAiImagesResponseSchema = z
  .object({
    created: z.number().int().openapi({ description: 'Unix seconds.' }),
    data: z.array(
      z.union([
        z.object({ b64_json: z.string().openapi({ description: 'The image, base64.' }) }),
        z.object({ url: z.string().openapi({ description: "The image on this server's /v1/images." }) }),
      ]),
    ),
    background: z.string(),
    output_format: outputFormatSchema,
    size: z.string().optional().openapi({ example: '1024x1024' }),
    usage: z.object({
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      total_tokens: z.number().int(),
    }),
  })
  .openapi('OpenAiImagesResponse');

const editFormSchema = openAiEditFieldsSchema.extend({
  image: z.union([z.string(), z.array(z.string())]).openapi({
    type: 'string',
    format: 'binary',
    description: 'The image to edit; several as repeated "image[]" parts.',
  }),
});

const statusDescriptions: Record<number, string> = {
  400: 'Invalid request: the message names the field and the allowed values',
  401: 'Missing or unknown API key',
  404: 'Unknown model; the message suggests the nearest known names',
  410: 'The model is retired and no fallback could serve the request',
  413: 'Too large',
  429: 'Rate limited, quota exhausted or over budget; see Retry-After',
  502: 'The upstream model failed permanently',
  503: 'The upstream model stayed unavailable through the retry budget',
};

/** Bad input, auth and size refusals, then whatever the outcome table can answer. */
const errorStatuses = [...new Set([400, 401, 413, ...openAiOutcomeStatuses])].sort((a, b) => a - b);

const responses = {
  200: {
    description: 'The images, synchronously',
    content: { 'application/json': { schema: openAiImagesResponseSchema } },
  },
  ...Object.fromEntries(
    errorStatuses.map((status) => [
      status,
      {
        description: statusDescriptions[status] ?? 'Error',
        content: { 'application/json': { schema: openAiErrorSchema } },
      },
    ]),
  ),
};

/** Adds the OpenAI-compatible operations, mounted under `prefix`, to the app's OpenAPI document. */
export function registerOpenAiOperations(app: Pick<OpenAPIHono, 'openAPIRegistry'>, prefix: string): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: `${prefix}/images/generations`,
    tags: ['OpenAI-compatible'],
    summary:
      'Generate images in the OpenAI Images API shape (synchronous; gpt-image-1 and dall-e-3 map to image_fast)',
    request: {
      body: { required: true, content: { 'application/json': { schema: openAiGenerationSchema } } },
    },
    responses,
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: `${prefix}/images/edits`,
    tags: ['OpenAI-compatible'],
    summary: 'Edit images in the OpenAI Images API shape (multipart, synchronous)',
    request: {
      body: { required: true, content: { 'multipart/form-data': { schema: editFormSchema } } },
    },
    responses,
  });
}
