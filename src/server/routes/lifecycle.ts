import { createRoute, z } from '@hono/zod-openapi';
import { isoDateSchema, knownValue, lifecycleOn, platforms, type Catalog } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { expandRoute, type ImagegateConfig } from '../../config/index.js';
import type { Registry } from '../../registry/index.js';
import { buildGuardReport } from '../../tools/guard/index.js';
import { errorResponses, guardSchema } from '../api-schemas.js';
import { guardReportView } from '../model-view.js';
import { openApiRouter } from '../openapi-router.js';

export interface LifecycleRoutesOptions {
  catalog: Catalog;
  registry: Registry;
  config: ImagegateConfig;
  clock: Clock;
}

const platformDatesSchema = z.object({
  platform: z.string(),
  stage: z
    .string()
    .nullable()
    .openapi({ description: 'On the asked day: `retired` once the shutdown has passed.' }),
  release_date: z.string().nullable(),
  ga_date: z.string().nullable(),
  shutdown_date: z.string().nullable(),
  days_to_shutdown: z.number().nullable(),
  successor: z.string().nullable(),
});

const lifecycleSchema = z
  .object({
    object: z.literal('lifecycle'),
    today: z.string().openapi({ description: "The server's date (UTC), YYYY-MM-DD." }),
    at: z.string().openapi({ description: 'The day judged: `?at=`, else today.' }),
    models: z.array(
      z.object({ id: z.string(), display_name: z.string(), platforms: z.array(platformDatesSchema) }),
    ),
    routes: z.array(
      z.object({
        name: z.string(),
        candidates: z.array(z.object({ model: z.string(), platform: z.string() })),
      }),
    ),
    guard: guardSchema,
  })
  .openapi('Lifecycle calendar');

const getLifecycle = createRoute({
  method: 'get',
  path: '/v1/lifecycle',
  summary:
    'Release, GA and shutdown dates of every model per platform, the configured routes and the guard report, on any day',
  request: {
    query: z.object({
      at: isoDateSchema
        .optional()
        .openapi({ description: 'The day to judge, YYYY-MM-DD (UTC). Default: today on the server clock.' }),
    }),
  },
  responses: {
    200: { description: 'The calendar', content: { 'application/json': { schema: lifecycleSchema } } },
    ...errorResponses(400, 401),
  },
});

/** `GET /v1/lifecycle?at=`: the catalog's dates as a calendar, judged on the server's clock or any day. */
export function lifecycleRoutes(options: LifecycleRoutesOptions) {
  const { catalog, registry, config, clock } = options;
  return openApiRouter().openapi(getLifecycle, (c) => {
    const { at } = c.req.valid('query');
    const today = new Date(clock.nowMs()).toISOString().slice(0, 10);
    const atMs = at ? Date.parse(`${at}T12:00:00Z`) : clock.nowMs();
    const report = buildGuardReport({ config, catalog, atMs });
    return c.json(
      {
        object: 'lifecycle' as const,
        today,
        at: at ?? today,
        models: catalog.models.map((model) => ({
          id: model.id,
          display_name: model.displayName,
          platforms: platforms.flatMap((platform) => {
            const lifecycle = model.platforms[platform];
            const status = lifecycleOn(model, platform, atMs);
            if (!lifecycle || !status) return [];
            return [
              {
                platform,
                stage: status.stage ?? null,
                release_date: knownValue(lifecycle.releaseDate) ?? null,
                ga_date: knownValue(lifecycle.gaDate) ?? null,
                shutdown_date: status.shutdownDate ?? null,
                days_to_shutdown: status.daysToShutdown ?? null,
                successor: status.successor ?? null,
              },
            ];
          }),
        })),
        routes: registry.logicalNames().map((name) => ({
          name,
          candidates: expandRoute(config.routes, name).candidates.map((candidate) => ({
            model: candidate.model,
            platform: candidate.platform,
          })),
        })),
        guard: guardReportView(report),
      },
      200,
    );
  });
}
