import { findModel, lifecycleOn } from '../catalog/index.js';
import type { Catalog, CatalogModel, Platform } from '../catalog/index.js';
import { modelNotFound, vertexModelNotFound } from './api-errors.js';
import type { ParsedApiPath } from './api-path.js';

/**
 * Which models answer on a platform at the emulated instant: those the catalog offers there and whose
 * shutdown date has not come. A retired model is indistinguishable from one that never existed — the
 * real API answers both with the same 404 NOT_FOUND.
 */
export function isServedOn(model: CatalogModel, platform: Platform, nowMs: number): boolean {
  const lifecycle = lifecycleOn(model, platform, nowMs);
  return lifecycle !== undefined && !lifecycle.isRetired;
}

/** The catalog model a call names, or the platform's real 404 when it is unknown or retired. */
export function servedModel(
  catalog: Catalog,
  modelId: string,
  path: Pick<ParsedApiPath, 'platform' | 'version' | 'vertexProject' | 'vertexLocation'>,
  nowMs: number,
  verb = 'generateContent',
): CatalogModel {
  const bareId = modelId.replace(/^models\//, '');
  const model = findModel(catalog, bareId);
  if (model && isServedOn(model, path.platform, nowMs)) return model;
  throw path.platform === 'vertex-ai'
    ? vertexModelNotFound(bareId, path.vertexProject, path.vertexLocation)
    : modelNotFound(bareId, path.version, verb);
}

/** Every ID (aliases included, in catalog order) that answers on the platform now. */
export function servedModelIds(
  catalog: Catalog,
  platform: Platform,
  nowMs: number,
): { id: string; model: CatalogModel }[] {
  return catalog.models
    .filter((model) => isServedOn(model, platform, nowMs))
    .flatMap((model) => [model.id, ...model.aliases].map((id) => ({ id, model })));
}
