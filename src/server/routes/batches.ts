import { createRoute, z } from '@hono/zod-openapi';
import type { BatchJobStore } from '../../batch/index.js';
import { errorResponses } from '../api-schemas.js';
import { callerScope, listOwner } from '../auth/index.js';
import { openApiRouter } from '../openapi-router.js';

/** Most jobs one listing returns. */
export const MAX_BATCH_JOBS_LISTED = 100;

const batchJobSchema = z
  .object({
    id: z.string(),
    object: z.literal('batch_job'),
    name: z.string().nullable().openapi({ description: 'The Gemini Batch API name, once created.' }),
    model: z.string(),
    state: z.string().openapi({ description: '`submitting`, then the Batch API state (JOB_STATE_…).' }),
    finished: z.boolean(),
    created_at: z.number().openapi({ description: 'Unix seconds' }),
    updated_at: z.number(),
    counts: z.object({
      pending: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      retried: z.number().openapi({
        description: 'Items that failed transiently in this job; their tasks went to a later job.',
      }),
      online: z.number().openapi({ description: 'Items moved to the online lane.' }),
    }),
  })
  .openapi('BatchJob');

const listBatches = createRoute({
  method: 'get',
  path: '/v1/batches',
  summary: 'Batch lane jobs, newest first, with item counts',
  description: 'A key sees the jobs holding at least one of its tasks; an admin key sees every job.',
  request: {
    query: z.object({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_BATCH_JOBS_LISTED)
        .optional()
        .openapi({
          description: `Default and most ${MAX_BATCH_JOBS_LISTED}.`,
        }),
    }),
  },
  responses: {
    200: {
      description: 'The jobs',
      content: {
        'application/json': {
          schema: z.object({ object: z.literal('list'), data: z.array(batchJobSchema) }),
        },
      },
    },
    ...errorResponses(400, 401),
  },
});

/** `GET /v1/batches`: the batch lane's jobs the caller may see. */
export function batchRoutes(options: { jobs: BatchJobStore }) {
  return openApiRouter().openapi(listBatches, (c) => {
    const owner = listOwner(callerScope(c));
    const { limit } = c.req.valid('query');
    const jobs = options.jobs.list({
      ...(owner !== undefined ? { apiKeyId: owner } : {}),
      limit: limit ?? MAX_BATCH_JOBS_LISTED,
    });
    return c.json(
      {
        object: 'list' as const,
        data: jobs.map((job) => ({
          id: job.id,
          object: 'batch_job' as const,
          name: job.name ?? null,
          model: job.modelId,
          state: job.state,
          finished: job.finished,
          created_at: Math.floor(job.createdAtMs / 1000),
          updated_at: Math.floor(job.updatedAtMs / 1000),
          counts: job.counts,
        })),
      },
      200,
    );
  });
}
