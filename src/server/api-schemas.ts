import { z } from '@hono/zod-openapi';

/** Shapes shared by several routes, registered once as OpenAPI components. */
export const errorBodySchema = z
  .object({
    error: z.object({
      type: z.string().openapi({ example: 'invalid_request_error' }),
      code: z.string().openapi({ example: 'invalid_value' }),
      message: z.string(),
      param: z.string().nullable().openapi({ example: 'aspect_ratio' }),
    }),
  })
  .openapi('Error');

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

export const errorDescriptions: Record<ErrorStatus, string> = {
  400: 'Invalid request: the message names the field and the allowed values (malformed bodies and JSON nested too deep included)',
  401: 'Missing or unknown API key',
  403: 'The API key may not do this (an admin key is needed)',
  404: 'Not found (or owned by another API key)',
  409: 'Conflict',
  413: 'Too large',
  415: 'Unsupported media type: the Content-Type is not one this endpoint reads',
  429: 'Rate limited or over the monthly budget; see Retry-After',
  503: 'Storage unavailable (disk full or read-only); see Retry-After',
};

export function errorResponses(...statuses: ErrorStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: errorDescriptions[status],
        content: { 'application/json': { schema: errorBodySchema } },
      },
    ]),
  );
}

/** An API key's id (`key_` and base62 characters; never secret), wherever a route takes one. */
export const apiKeyIdSchema = z
  .string()
  .max(64)
  .regex(/^key_[0-9A-Za-z]+$/, 'a key id looks like key_…');

const lifecycleSchema = z
  .object({
    platform: z.string(),
    stage: z.string().nullable(),
    announced_stage: z.string().nullable(),
    shutdown_date: z.string().nullable(),
    days_to_shutdown: z.number().nullable(),
    successor: z.string().nullable(),
    is_retired: z.boolean(),
  })
  .openapi('Lifecycle');

export const modelSchema = z
  .object({
    id: z.string(),
    object: z.literal('model'),
    aliases: z.array(z.string()),
    display_name: z.string(),
    lifecycle: z.array(lifecycleSchema),
    capabilities: z.object({
      aspect_ratios: z.array(z.string()).nullable(),
      image_sizes: z.array(z.string()).nullable(),
      max_input_images: z.number().nullable(),
      video_input: z.boolean().nullable(),
    }),
  })
  .openapi('Model');

export const logicalModelSchema = z
  .object({
    id: z.string(),
    object: z.literal('logical_model'),
    candidates: z.array(z.object({ model: z.string(), platform: z.string(), lifecycle: lifecycleSchema })),
    warnings: z.array(z.string()),
  })
  .openapi('LogicalModel');

export const deprecationSchema = z
  .object({
    model: z.string(),
    platform: z.string(),
    stage: z.string().nullable(),
    shutdown_date: z.string(),
    days_to_shutdown: z.number().nullable(),
    is_retired: z.boolean(),
    successor: z.string().nullable(),
    used_by: z.array(z.string()),
  })
  .openapi('Deprecation');

const taskImageSchema = z.object({
  url: z.string().openapi({ example: '/v1/images/3f2a…' }),
  mime_type: z.string(),
  width: z.number(),
  height: z.number(),
  sha256: z.string(),
});

export const taskSchema = z
  .object({
    id: z.string().openapi({ example: 'task_img_01JZX3Q4W8E2R5T7Y9U1I3O5P7' }),
    object: z.literal('generation.task'),
    model: z.string(),
    api_key_id: z.string().nullable().openapi({
      description: 'The key that submitted the task (its owner); null when submitted without a key.',
    }),
    status: z.enum(['queued', 'processing', 'success', 'failed', 'cancelled']),
    progress: z.number(),
    created_at: z.number().openapi({ description: 'Unix seconds' }),
    updated_at: z.number(),
    started_at: z.number().nullable(),
    finished_at: z.number().nullable(),
    metadata: z.record(z.string(), z.string()),
    result: z
      .object({
        images: z.array(taskImageSchema),
        text: z.string().nullable(),
        next_turn_contents: z.array(z.unknown()),
      })
      .nullable(),
    usage: z
      .object({
        prompt_tokens: z.number(),
        output_text_tokens: z.number(),
        output_image_tokens: z.number(),
        thoughts_tokens: z.number(),
        total_tokens: z.number(),
      })
      .nullable(),
    cost: z.object({ estimated_usd: z.number().nullable(), actual_usd: z.number().nullable() }),
    served_by: z.object({ model: z.string(), platform: z.string() }).nullable(),
    attempts: z.array(
      z.object({
        model: z.string(),
        platform: z.string(),
        outcome: z.string(),
        http_status: z.number().nullable(),
        message: z.string().nullable(),
        started_at_ms: z.number(),
        latency_ms: z.number(),
        waited_before_ms: z.number(),
      }),
    ),
    warnings: z.array(z.string()),
    error: z.object({ type: z.string(), code: z.string(), message: z.string() }).nullable(),
    cancel_requested: z.boolean(),
    lane: z.enum(['online', 'batch']),
    deadline_at: z.number().nullable().openapi({ description: 'Batch lane: Unix seconds.' }),
    batch_job: z
      .object({ id: z.string(), name: z.string().nullable(), state: z.string().nullable() })
      .nullable()
      .openapi({ description: 'Batch lane: the Gemini Batch API job holding the task.' }),
  })
  .openapi('Task');

export const taskIdParamsSchema = z.object({
  id: z
    .string()
    .max(64, 'a task id looks like task_img_…')
    .regex(/^task_img_[0-9A-Za-z]+$/, 'a task id looks like task_img_…')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'task_img_01JZX3Q4W8E2R5T7Y9U1I3O5P7' }),
});

export const guardSchema = z
  .object({
    at: z.string(),
    worst: z.enum(['ok', 'warning', 'error']),
    findings: z.array(
      z.object({
        model: z.string(),
        platform: z.string(),
        stage: z.string(),
        shutdown_date: z.string().nullable(),
        days_left: z.number().nullable(),
        successor: z.string().nullable(),
        level: z.enum(['ok', 'warning', 'error']),
        message: z.string(),
      }),
    ),
  })
  .openapi({ description: 'The guard report for the configured routes (what imagegate guard prints).' });
