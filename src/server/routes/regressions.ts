import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { aspectRatioSchema, imageSizeSchema } from '../../catalog/index.js';
import { notFound } from '../../http/index.js';
import { errorResponses } from '../api-schemas.js';
import { callerScope, listOwner, mayAccess } from '../auth/index.js';
import { openApiRouter, type ServerEnv } from '../openapi-router.js';
import type { RegressionJobs } from '../regressions/regression-jobs.js';
import type { RegressionRun } from '../regressions/regression-run-store.js';

const MAX_PROMPTS = 50;

const startBodySchema = z
  .strictObject({
    prompts: z
      .array(z.string().trim().min(1, 'a prompt may not be empty').max(4000))
      .min(1, 'at least one prompt')
      .max(MAX_PROMPTS, `at most ${MAX_PROMPTS} prompts`),
    baseline: z.string().trim().min(1).openapi({ description: 'Model ID or logical name compared from.' }),
    candidate: z
      .string()
      .trim()
      .min(1)
      .openapi({ description: 'Model ID or logical name being considered.' }),
    aspect_ratio: aspectRatioSchema.optional(),
    image_size: imageSizeSchema.optional(),
  })
  .openapi('StartRegression');

const runSchema = z
  .object({
    id: z.string(),
    object: z.literal('regression'),
    status: z.enum(['queued', 'running', 'success', 'failed']),
    baseline: z.string(),
    candidate: z.string(),
    prompts: z.number(),
    done: z.number(),
    created_at: z.number(),
    updated_at: z.number(),
    error: z.string().nullable(),
    result: z.unknown().nullable().openapi({
      description: 'When finished: verdict, counts by category and every pair with its scores and images.',
    }),
  })
  .openapi('Regression');

const idParamsSchema = z.object({
  id: z
    .string()
    .regex(/^reg_[0-9a-z]+$/, 'a regression id looks like reg_…')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const startRegression = createRoute({
  method: 'post',
  path: '/v1/regressions',
  summary:
    'Start a comparison of two models on a prompt set (imagegate regress), run as a durable server job',
  request: { body: { required: true, content: { 'application/json': { schema: startBodySchema } } } },
  responses: {
    202: { description: 'The queued run', content: { 'application/json': { schema: runSchema } } },
    ...errorResponses(400, 401),
  },
});

const listRegressions = createRoute({
  method: 'get',
  path: '/v1/regressions',
  summary: "The caller's comparison runs, newest first",
  responses: {
    200: {
      description: 'Runs',
      content: {
        'application/json': { schema: z.object({ object: z.literal('list'), data: z.array(runSchema) }) },
      },
    },
    ...errorResponses(401),
  },
});

const getRegression = createRoute({
  method: 'get',
  path: '/v1/regressions/{id}',
  summary: 'One comparison run: progress, then the verdict and every pair',
  request: { params: idParamsSchema },
  responses: {
    200: { description: 'The run', content: { 'application/json': { schema: runSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

function runView(run: RegressionRun, withResult: boolean) {
  return {
    id: run.id,
    object: 'regression' as const,
    status: run.status,
    baseline: run.input.baseline,
    candidate: run.input.candidate,
    prompts: run.total,
    done: run.done,
    created_at: Math.floor(run.createdAtMs / 1000),
    updated_at: Math.floor(run.updatedAtMs / 1000),
    error: run.error ?? null,
    result: withResult ? (run.result ?? null) : null,
  };
}

/** `POST /v1/regressions`, `GET /v1/regressions`, `GET /v1/regressions/{id}`: a key sees only its own runs. */
export function regressionRoutes(options: { jobs: RegressionJobs }) {
  const { jobs } = options;
  const visible = (c: Context<ServerEnv>, id: string) => {
    const run = jobs.store.get(id);
    if (!run || !mayAccess(callerScope(c), run.apiKeyId))
      throw notFound(`No regression "${id}".`, 'regression_not_found');
    return run;
  };
  return openApiRouter()
    .openapi(startRegression, (c) => {
      const body = c.req.valid('json');
      const keyId = c.get('apiKey')?.id;
      const run = jobs.submit({
        id: `reg_${randomBytes(10).toString('hex')}`,
        ...(keyId ? { apiKeyId: keyId } : {}),
        input: {
          prompts: body.prompts.map((prompt, index) => ({
            id: `p-${String(index + 1).padStart(3, '0')}`,
            prompt,
          })),
          baseline: body.baseline,
          candidate: body.candidate,
          ...(body.aspect_ratio ? { aspectRatio: body.aspect_ratio } : {}),
          ...(body.image_size ? { imageSize: body.image_size } : {}),
        },
      });
      c.header('Location', `/v1/regressions/${run.id}`);
      return c.json(runView(run, false), 202);
    })
    .openapi(listRegressions, (c) =>
      c.json(
        {
          object: 'list' as const,
          data: jobs.store.list(listOwner(callerScope(c))).map((run) => runView(run, false)),
        },
        200,
      ),
    )
    .openapi(getRegression, (c) => c.json(runView(visible(c, c.req.valid('param').id), true), 200));
}
