import { knownValue } from '../catalog/index.js';
import type { CatalogModel } from '../catalog/index.js';
import type { ApiCall } from './emulator-state.js';
import { jsonResponse } from './json-response.js';
import { servedModel, servedModelIds } from './model-availability.js';
import { paginate } from './pagination.js';

/**
 * models.list and models.get. Entries are derived from the catalog; the sampling fields below are the
 * same for every Gemini image model in the real listing, so they are emulator defaults, not model facts.
 */

/** Sampling defaults every image model reports (real models.list dump, reference 1.4). */
export const imageModelSamplingDefaults = {
  temperature: 1,
  topP: 0.95,
  topK: 64,
  maxTemperature: 1,
} as const;

/** The generation methods every image model lists. */
export const supportedGenerationMethods = ['generateContent', 'countTokens', 'batchGenerateContent'] as const;

/**
 * The `version` field: the major version in the model ID with ".0" ("3.0" for a Gemini 3 model), an
 * approximation of the real values, which follow no rule the docs state.
 */
export function modelVersionOf(model: CatalogModel): string {
  const major = /(\d+)(?:\.\d+)?/.exec(model.id)?.[1];
  return major ? `${major}.0` : '1.0';
}

/** The REST `Model` resource for one ID (an alias gets its own entry with identical fields). */
export function modelResource(id: string, model: CatalogModel): Record<string, unknown> {
  const inputTokenLimit = knownValue(model.capabilities.inputTokenLimit);
  const outputTokenLimit = knownValue(model.capabilities.outputTokenLimit);
  return {
    name: `models/${id}`,
    version: modelVersionOf(model),
    displayName: model.displayName,
    description: model.description,
    ...(inputTokenLimit !== undefined ? { inputTokenLimit } : {}),
    ...(outputTokenLimit !== undefined ? { outputTokenLimit } : {}),
    supportedGenerationMethods: [...supportedGenerationMethods],
    ...imageModelSamplingDefaults,
    ...(knownValue(model.capabilities.thinking) === true ? { thinking: true } : {}),
  };
}

const vertexLaunchStages: Record<string, string> = {
  experimental: 'EXPERIMENTAL',
  preview: 'PUBLIC_PREVIEW',
  ga: 'GA',
  deprecated: 'GA',
};

/** Vertex AI's `PublisherModel` resource: a different shape from the Gemini API's `Model`. */
export function vertexModelResource(id: string, model: CatalogModel): Record<string, unknown> {
  const stage = model.platforms['vertex-ai'] ? knownValue(model.platforms['vertex-ai'].stage) : undefined;
  return {
    name: `publishers/google/models/${id}`,
    versionId: modelVersionOf(model),
    displayName: model.displayName,
    description: model.description,
    openSourceCategory: 'PROPRIETARY',
    ...(stage && vertexLaunchStages[stage] ? { launchStage: vertexLaunchStages[stage] } : {}),
  };
}

function resourceFor(call: ApiCall, id: string, model: CatalogModel): Record<string, unknown> {
  return call.path.platform === 'vertex-ai' ? vertexModelResource(id, model) : modelResource(id, model);
}

export function handleModelsList(call: ApiCall): Response {
  const served = servedModelIds(call.state.catalog, call.path.platform, call.state.clock.nowMs());
  const page = paginate(
    served,
    {
      pageSize: call.url.searchParams.get('pageSize') ?? undefined,
      pageToken: call.url.searchParams.get('pageToken') ?? undefined,
    },
    { defaultPageSize: 50, maxPageSize: 1000 },
  );
  return jsonResponse({
    [call.path.platform === 'vertex-ai' ? 'publisherModels' : 'models']: page.items.map(({ id, model }) =>
      resourceFor(call, id, model),
    ),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  });
}

export function handleModelsGet(call: ApiCall, modelId: string): Response {
  const bareId = modelId.replace(/^models\//, '');
  const model = servedModel(call.state.catalog, bareId, call.path, call.state.clock.nowMs());
  return jsonResponse(resourceFor(call, bareId, model));
}
