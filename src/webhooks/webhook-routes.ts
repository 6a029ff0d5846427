import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiError, errorResponse } from '../http/index.js';
import type { DeliveryOwner, WebhookDelivery } from './webhook-delivery-store.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

const deadLettersQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z
    .string()
    .regex(/^msg_[0-9a-z]+$/, 'expected the next_cursor of a previous page')
    .optional(),
});

/** A delivery as the HTTP API shows it: snake_case, ISO 8601 times, the payload as JSON. */
export function webhookDeliveryView(delivery: WebhookDelivery) {
  const time = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    id: delivery.id,
    object: 'webhook_delivery',
    task_id: delivery.taskId,
    url: delivery.url,
    event_type: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    created_at: time(delivery.createdAtMs),
    next_attempt_at: time(delivery.nextAttemptAtMs),
    last_attempt_at: time(delivery.lastAttemptAtMs),
    last_status_code: delivery.lastStatusCode ?? null,
    last_error: delivery.lastError ?? null,
    delivered_at: time(delivery.deliveredAtMs),
    dead_at: time(delivery.deadAtMs),
    payload: JSON.parse(delivery.payload) as unknown,
  };
}

export interface WebhookRoutesOptions {
  /**
   * Whose dead letters the caller reaches (the server's ownership rule): a key id, null for deliveries
   * of tasks made without a key, undefined for all (admin keys).
   */
  ownerOf: (c: Context) => DeliveryOwner;
}

/**
 * `GET /dead-letters?limit=&cursor=` lists the caller's deliveries that gave up, newest first;
 * `POST /dead-letters/:id/redeliver` queues one of them again with a fresh retry budget. Another key's
 * dead letter is a 404, like one that does not exist. Mounted at /v1/webhooks.
 */
export function createWebhookRoutes(dispatcher: WebhookDispatcher, options: WebhookRoutesOptions): Hono {
  const routes = new Hono();
  routes.get('/dead-letters', async (c) => {
    const parsed = deadLettersQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param =
        issue?.code === 'unrecognized_keys'
          ? (issue.keys[0]?.slice(0, 64) ?? null)
          : (issue?.path.join('.') ?? null);
      const sent = param ? c.req.query(param) : undefined;
      return errorResponse(
        c,
        new ApiError(
          400,
          'invalid_request_error',
          issue?.code === 'unrecognized_keys' ? 'unknown_field' : 'invalid_value',
          issue?.code === 'unrecognized_keys'
            ? `Unknown query parameter "${param}"; allowed: limit, cursor.`
            : `Invalid "${param}"${sent === undefined ? '' : ` ${JSON.stringify(sent.slice(0, 64))}`}: ${issue?.message ?? 'invalid'}.`,
          param,
        ),
      );
    }
    const page = await dispatcher.deadLetters({ ...parsed.data, owner: options.ownerOf(c) });
    return c.json({
      object: 'list',
      data: page.deliveries.map(webhookDeliveryView),
      next_cursor: page.nextCursor ?? null,
    });
  });
  routes.post('/dead-letters/:id/redeliver', async (c) => {
    const id = c.req.param('id').slice(0, 64);
    const owner = options.ownerOf(c);
    if (!(await dispatcher.redeliver(id, owner))) {
      return errorResponse(
        c,
        new ApiError(
          404,
          'not_found_error',
          'dead_letter_not_found',
          `There is no dead letter "${id}" (it may have been delivered or redelivered already).`,
          'id',
        ),
      );
    }
    const delivery = await dispatcher.delivery(id, owner);
    return c.json(delivery ? webhookDeliveryView(delivery) : null, 202);
  });
  return routes;
}
