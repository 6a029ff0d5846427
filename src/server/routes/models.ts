import { createRoute, z } from '@hono/zod-openapi';
import { findModel, type Catalog, type Platform } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { defaultPlatform, expandRoute, type ImagegateConfig } from '../../config/index.js';
import { UnknownModelError, NoUsableCandidateError, type Registry } from '../../registry/index.js';
import { MAX_MODEL_NAME_LENGTH, notFound } from '../../http/index.js';
import {
  deprecationSchema,
  errorResponses,
  guardSchema,
  logicalModelSchema,
  modelSchema,
} from '../api-schemas.js';
import { buildGuardReport } from '../../tools/guard/index.js';
import { deprecationHeaders } from '../deprecation-headers.js';
import { deprecationList, guardReportView, logicalNameView, modelView } from '../model-view.js';
import { openApiRouter } from '../openapi-router.js';

export interface ModelRoutesOptions {
  catalog: Catalog;
  registry: Registry;
  config: ImagegateConfig;
  clock: Clock;
  /** Models used by published flow versions; the deprecations list names them beside logical names. */
  flowUsages?: () => Promise<Array<{ modelId: string; platform: Platform; location: string }>>;
}

const listModels = createRoute({
  method: 'get',
  path: '/v1/models',
  summary: 'Catalog models with their lifecycle on each platform, and the configured logical names',
  responses: {
    200: {
      description: 'Every model and logical name',
      content: {
        'application/json': {
          schema: z.object({
            object: z.literal('list'),
            data: z.array(modelSchema),
            logical_names: z.array(logicalModelSchema),
          }),
        },
      },
    },
  },
});

const listDeprecations = createRoute({
  method: 'get',
  path: '/v1/models/deprecations',
  summary:
    'Every model with an announced shutdown date, soonest first, and the logical names and published flow versions using it',
  responses: {
    200: {
      description: 'Shutdowns',
      content: {
        'application/json': {
          schema: z.object({
            object: z.literal('list'),
            data: z.array(deprecationSchema),
            guard: guardSchema,
          }),
        },
      },
    },
  },
});

const getModel = createRoute({
  method: 'get',
  path: '/v1/models/{name}',
  summary: 'One model (ID or alias) with its lifecycle, or one logical name with its current route',
  request: {
    params: z.object({
      name: z
        .string()
        .min(1)
        .max(MAX_MODEL_NAME_LENGTH)
        .openapi({ param: { name: 'name', in: 'path' } }),
    }),
  },
  responses: {
    200: {
      description: 'The model or logical name',
      content: { 'application/json': { schema: z.union([modelSchema, logicalModelSchema]) } },
    },
    ...errorResponses(400, 404),
  },
});

/** `GET /v1/models`, `/v1/models/deprecations` and `/v1/models/{name}` (registry and lifecycle). */
export function modelRoutes(options: ModelRoutesOptions) {
  const { catalog, registry, config, clock } = options;
  const routeTargets = () =>
    registry.logicalNames().flatMap((name) =>
      expandRoute(config.routes, name).candidates.flatMap((candidate) => {
        const model = findModel(catalog, candidate.model);
        return model ? [{ name, modelId: model.id, platform: candidate.platform }] : [];
      }),
    );
  const logicalNames = () =>
    registry.logicalNames().flatMap((name) => {
      try {
        return [logicalNameView(registry.resolve(name))];
      } catch (error) {
        if (error instanceof NoUsableCandidateError) {
          return [{ id: name, object: 'logical_model' as const, candidates: [], warnings: error.reasons }];
        }
        throw error;
      }
    });

  return openApiRouter()
    .openapi(listModels, (c) =>
      c.json(
        {
          object: 'list' as const,
          data: catalog.models.map((model) => modelView(model, clock.nowMs())),
          logical_names: logicalNames(),
        },
        200,
      ),
    )
    .openapi(listDeprecations, async (c) => {
      const nowMs = clock.nowMs();
      const flowUsages = (await options.flowUsages?.()) ?? [];
      const report = buildGuardReport({ config, catalog, atMs: nowMs, flowUsages });
      return c.json(
        {
          object: 'list' as const,
          data: deprecationList(catalog, nowMs, [
            ...routeTargets(),
            ...flowUsages.map((usage) => ({
              name: usage.location,
              modelId: usage.modelId,
              platform: usage.platform,
            })),
          ]),
          guard: guardReportView(report),
        },
        200,
      );
    })
    .openapi(getModel, (c) => {
      const { name } = c.req.valid('param');
      const model = findModel(catalog, name);
      if (model) {
        const platform = model.platforms[defaultPlatform] ? defaultPlatform : 'vertex-ai';
        for (const [header, value] of Object.entries(deprecationHeaders(model, platform))) {
          c.header(header, value);
        }
        return c.json(modelView(model, clock.nowMs()), 200);
      }
      try {
        return c.json(logicalNameView(registry.resolve(name)), 200);
      } catch (error) {
        if (error instanceof UnknownModelError) {
          throw notFound(error.message, 'model_not_found');
        }
        if (error instanceof NoUsableCandidateError) {
          return c.json(
            { id: name, object: 'logical_model' as const, candidates: [], warnings: error.reasons },
            200,
          );
        }
        throw error;
      }
    });
}
