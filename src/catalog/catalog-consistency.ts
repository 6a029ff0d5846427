import { knownValue } from './queries.js';
import { platforms, type Catalog, type CatalogModel, type Platform } from './schema.js';

/** A rule the schema alone cannot express, broken at `path` (dot-separated, like zod issue paths). */
export interface CatalogProblem {
  path: string;
  message: string;
}

/** Stages a successor must not have: moving to them would only postpone the next migration. */
const stagesUnfitForSuccessor = new Set(['experimental', 'preview', 'retired', 'deprecated']);

/**
 * Cross-entry rules of a schema-valid catalog: unique IDs and aliases, successors that exist and are
 * not previews, a default size the model supports, and a pixel table covering every supported
 * (image size, aspect ratio) pair. Returns every problem found; an empty list means consistent.
 */
export function catalogConsistencyProblems(catalog: Catalog): CatalogProblem[] {
  return [
    ...duplicateIdProblems(catalog),
    ...catalog.models.flatMap((model, index) => [
      ...successorProblems(catalog, model, `models.${index}`),
      ...capabilityProblems(model, `models.${index}.capabilities`),
    ]),
  ];
}

function duplicateIdProblems(catalog: Catalog): CatalogProblem[] {
  const firstOwner = new Map<string, string>();
  const problems: CatalogProblem[] = [];
  catalog.models.forEach((model, index) => {
    const names = [
      { name: model.id, path: `models.${index}.id` },
      ...model.aliases.map((alias, aliasIndex) => ({
        name: alias,
        path: `models.${index}.aliases.${aliasIndex}`,
      })),
    ];
    for (const { name, path } of names) {
      const owner = firstOwner.get(name);
      if (owner === undefined) firstOwner.set(name, path);
      else
        problems.push({
          path,
          message: `"${name}" is already used at ${owner}; IDs and aliases must be unique`,
        });
    }
  });
  return problems;
}

function successorProblems(catalog: Catalog, model: CatalogModel, modelPath: string): CatalogProblem[] {
  return platforms.flatMap((platform) => {
    const lifecycle = model.platforms[platform];
    const successorId = lifecycle ? knownValue(lifecycle.successor) : undefined;
    if (successorId === undefined || successorId === null) return [];
    const path = `${modelPath}.platforms.${platform}.successor.value`;
    const successor = catalog.models.find((candidate) => candidate.id === successorId);
    if (!successor) {
      return [{ path, message: `successor "${successorId}" is not a model ID in the catalog` }];
    }
    if (successor.id === model.id) {
      return [{ path, message: `"${model.id}" cannot be its own successor` }];
    }
    const successorStage = stageOnPlatformOrAnywhere(successor, platform);
    return successorStage !== undefined && stagesUnfitForSuccessor.has(successorStage)
      ? [
          {
            path,
            message: `successor "${successorId}" is ${successorStage}; a successor must be a GA model`,
          },
        ]
      : [];
  });
}

/** A successor may be offered on another platform only (for example a Vertex-only GA twin). */
function stageOnPlatformOrAnywhere(model: CatalogModel, platform: Platform): string | undefined {
  const onPlatform = model.platforms[platform];
  if (onPlatform) return knownValue(onPlatform.stage);
  return platforms
    .map((other) => model.platforms[other])
    .map((lifecycle) => (lifecycle ? knownValue(lifecycle.stage) : undefined))
    .find((stage) => stage !== undefined);
}

function capabilityProblems(model: CatalogModel, capabilitiesPath: string): CatalogProblem[] {
  const capabilities = model.capabilities;
  const imageSizes = knownValue(capabilities.imageSizes);
  const aspectRatios = knownValue(capabilities.aspectRatios);
  const defaultImageSize = knownValue(capabilities.defaultImageSize);
  const pixelSizes = knownValue(capabilities.pixelSizes);
  const problems: CatalogProblem[] = [];
  if (imageSizes && defaultImageSize && !imageSizes.includes(defaultImageSize)) {
    problems.push({
      path: `${capabilitiesPath}.defaultImageSize.value`,
      message: `default image size "${defaultImageSize}" is not among the supported sizes (${imageSizes.join(', ')})`,
    });
  }
  if (imageSizes && aspectRatios && pixelSizes) {
    for (const imageSize of imageSizes) {
      for (const aspectRatio of aspectRatios) {
        if (!pixelSizes[imageSize]?.[aspectRatio]) {
          problems.push({
            path: `${capabilitiesPath}.pixelSizes.value.${imageSize}.${aspectRatio}`,
            message: `no pixel size for supported image size ${imageSize} at aspect ratio ${aspectRatio}`,
          });
        }
      }
    }
  }
  return problems;
}
