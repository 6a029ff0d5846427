import { z } from '@hono/zod-openapi';
import { errorResponses } from '../api-schemas.js';

/*
 * The dead-letter routes live in src/webhooks as a plain Hono app (the webhook layer sits below the
 * server); the server mounts them at /v1/webhooks and documents them here, so /openapi.json lists every
 * route it answers.
 */

const deliverySchema = z
  .object({
    id: z.string().openapi({ example: 'msg_00mhy1p3k09f2c…' }),
    object: z.literal('webhook_delivery'),
    task_id: z.string(),
    url: z.string(),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number(),
    created_at: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    last_attempt_at: z.string().nullable(),
    last_status_code: z.number().nullable(),
    last_error: z.string().nullable(),
    delivered_at: z.string().nullable(),
    dead_at: z.string().nullable(),
    payload: z.unknown(),
  })
  .openapi('WebhookDelivery');

export const listDeadLettersDoc = {
  method: 'get',
  path: '/v1/webhooks/dead-letters',
  summary: "The caller's webhook deliveries that gave up, newest first",
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).optional(),
      cursor: z
        .string()
        .regex(/^msg_[0-9a-z]+$/)
        .optional(),
    }),
  },
  responses: {
    200: {
      description: 'One page',
      content: {
        'application/json': {
          schema: z.object({
            object: z.literal('list'),
            data: z.array(deliverySchema),
            next_cursor: z.string().nullable(),
          }),
        },
      },
    },
    ...errorResponses(400, 401),
  },
} as const;

export const redeliverDeadLetterDoc = {
  method: 'post',
  path: '/v1/webhooks/dead-letters/{id}/redeliver',
  summary: "Queue one of the caller's dead letters again with a fresh retry budget",
  request: {
    params: z.object({
      id: z
        .string()
        .max(64)
        .openapi({ param: { name: 'id', in: 'path' }, example: 'msg_00mhy1p3k09f2c…' }),
    }),
  },
  responses: {
    202: { description: 'Queued again', content: { 'application/json': { schema: deliverySchema } } },
    ...errorResponses(401, 404),
  },
} as const;
