import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../clock/index.js';
import type { TaskStore } from '../../tasks/index.js';
import {
  AmbiguousApiKeyError,
  requireAdmin,
  type ApiKeyDirectory,
  type ApiKeyRecord,
} from '../auth/index.js';
import { ApiError, notFound } from '../../http/index.js';
import { apiKeyIdSchema, errorResponses } from '../api-schemas.js';
import { spendThisMonthUsd } from '../monthly-budget.js';
import { openApiRouter, type ServerEnv } from '../openapi-router.js';

export interface KeyRoutesOptions {
  keys: ApiKeyDirectory;
  store: TaskStore;
  clock: Clock;
}

const keySchema = z
  .object({
    id: z.string(),
    object: z.literal('api_key'),
    name: z.string(),
    prefix: z.string(),
    admin: z.boolean(),
    created_at: z.number().openapi({ description: 'Unix seconds' }),
    revoked_at: z.number().nullable(),
    rate_limit_per_minute: z.number().nullable(),
    monthly_budget_usd: z.number().nullable(),
    spent_this_month_usd: z.number().nullable().openapi({ description: 'Null where not computed.' }),
  })
  .openapi('ApiKey');

const keyIdParamsSchema = z.object({
  id: apiKeyIdSchema.openapi({ param: { name: 'id', in: 'path' } }),
});

const createKeyBodySchema = z
  .strictObject({
    name: z.string().trim().min(1, 'a name is required').max(100, 'at most 100 characters'),
    rate_limit_per_minute: z.number().int().positive('must be a whole number of requests above 0').optional(),
    monthly_budget_usd: z.number().positive('must be an amount in US dollars above 0').finite().optional(),
    admin: z.boolean().optional(),
  })
  .openapi('CreateApiKey');

const whoAmI = createRoute({
  method: 'get',
  path: '/v1/keys/me',
  summary: 'The key this request is signed with (any key; never the secret)',
  responses: {
    200: { description: 'The caller', content: { 'application/json': { schema: keySchema.nullable() } } },
    ...errorResponses(401),
  },
});

const listKeys = createRoute({
  method: 'get',
  path: '/v1/keys',
  summary: 'Every API key with its spend this month (admin key)',
  responses: {
    200: {
      description: 'Keys, revoked ones included, oldest first',
      content: {
        'application/json': { schema: z.object({ object: z.literal('list'), data: z.array(keySchema) }) },
      },
    },
    ...errorResponses(401, 403),
  },
});

const createKey = createRoute({
  method: 'post',
  path: '/v1/keys',
  summary: 'Create an API key; the secret is in this answer only (admin key)',
  request: { body: { required: true, content: { 'application/json': { schema: createKeyBodySchema } } } },
  responses: {
    201: {
      description: 'The new key and its secret',
      content: { 'application/json': { schema: keySchema.extend({ secret: z.string() }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/v1/keys/{id}',
  summary: 'Revoke an API key: requests with it get 401 from then on (admin key)',
  request: { params: keyIdParamsSchema },
  responses: {
    200: { description: 'The revoked key', content: { 'application/json': { schema: keySchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

function keyView(record: ApiKeyRecord, spentThisMonthUsd: number | null = null) {
  return {
    id: record.id,
    object: 'api_key' as const,
    name: record.name,
    prefix: record.prefix,
    admin: record.admin === true,
    created_at: Math.floor(record.createdAtMs / 1000),
    revoked_at: record.revokedAtMs === undefined ? null : Math.floor(record.revokedAtMs / 1000),
    rate_limit_per_minute: record.rateLimitPerMinute ?? null,
    monthly_budget_usd: record.monthlyBudgetUsd ?? null,
    spent_this_month_usd: spentThisMonthUsd,
  };
}

/** `/v1/keys`: key management for admin keys (the server checks, not the console); `/v1/keys/me` for any key. */
export function keyRoutes(options: KeyRoutesOptions) {
  const { keys, store, clock } = options;
  // Before any route's validation: a key that may not manage keys learns nothing about the request.
  const adminOnly: MiddlewareHandler<ServerEnv> = async (c, next) => {
    if (c.req.path !== '/v1/keys/me') requireAdmin(c);
    await next();
  };
  const router = openApiRouter();
  router.use('/v1/keys', adminOnly);
  router.use('/v1/keys/*', adminOnly);
  return router
    .openapi(whoAmI, (c) => {
      const key = c.get('apiKey');
      return c.json(key ? keyView(key) : null, 200);
    })
    .openapi(listKeys, async (c) => {
      requireAdmin(c);
      const nowMs = clock.nowMs();
      const data = await Promise.all(
        (await keys.list()).map(async (record) =>
          keyView(record, await spendThisMonthUsd(store, record.id, nowMs)),
        ),
      );
      return c.json({ object: 'list' as const, data }, 200);
    })
    .openapi(createKey, async (c) => {
      requireAdmin(c);
      const body = c.req.valid('json');
      const { record, secret } = await keys.create({
        name: body.name,
        ...(body.rate_limit_per_minute !== undefined
          ? { rateLimitPerMinute: body.rate_limit_per_minute }
          : {}),
        ...(body.monthly_budget_usd !== undefined ? { monthlyBudgetUsd: body.monthly_budget_usd } : {}),
        ...(body.admin ? { admin: true } : {}),
      });
      return c.json({ ...keyView(record, 0), secret }, 201);
    })
    .openapi(revokeKey, async (c) => {
      const caller = requireAdmin(c);
      const { id } = c.req.valid('param');
      if (id === caller.id) {
        throw new ApiError(
          409,
          'conflict_error',
          'cannot_revoke_own_key',
          'An admin key cannot revoke itself here; sign in with another admin key (or use imagegate keys revoke).',
        );
      }
      let record: ApiKeyRecord | undefined;
      try {
        record = await keys.revoke(id);
      } catch (error) {
        if (error instanceof AmbiguousApiKeyError) throw notFound(`No API key "${id}".`, 'key_not_found');
        throw error;
      }
      if (!record) throw notFound(`No API key "${id}".`, 'key_not_found');
      return c.json(keyView(record), 200);
    });
}
