import { describe, expect, it } from 'vitest';
import { catalogConsistencyProblems } from './catalog-consistency.js';
import { builtInCatalog } from './load-catalog.js';
import type { Catalog, CatalogModel } from './schema.js';

/** A deep copy of the built-in catalog that a test may break on purpose. */
const editableCatalog = (): Catalog => structuredClone(builtInCatalog());
const modelIn = (catalog: Catalog, id: string): CatalogModel =>
  catalog.models.find((model) => model.id === id)!;
const indexOf = (catalog: Catalog, id: string): number =>
  catalog.models.findIndex((model) => model.id === id);

describe('catalogConsistencyProblems', () => {
  it('finds nothing wrong with the built-in catalog', () => {
    expect(catalogConsistencyProblems(builtInCatalog())).toEqual([]);
  });

  it('reports a duplicated ID at the second occurrence, naming the first', () => {
    const catalog = editableCatalog();
    modelIn(catalog, 'gemini-3-pro-image').id = 'gemini-3-pro-image-preview';
    expect(catalogConsistencyProblems(catalog)).toContainEqual({
      path: `models.${indexOf(catalog, 'gemini-3-pro-image-preview') + 1}.id`,
      message: expect.stringContaining(
        `already used at models.${indexOf(catalog, 'gemini-3-pro-image-preview')}.id`,
      ),
    });
  });

  it('reports an alias that collides with another model ID', () => {
    const catalog = editableCatalog();
    modelIn(catalog, 'gemini-3-pro-image').aliases = ['gemini-3.1-flash-image'];
    const problems = catalogConsistencyProblems(catalog);
    expect(problems.map((problem) => problem.path)).toContain(
      `models.${indexOf(catalog, 'gemini-3.1-flash-image')}.id`,
    );
  });

  it('reports a successor that is not in the catalog', () => {
    const catalog = editableCatalog();
    modelIn(catalog, 'gemini-3-pro-image-preview').platforms['gemini-api']!.successor.value =
      'gemini-4-image';
    expect(catalogConsistencyProblems(catalog)).toEqual([
      {
        path: `models.${indexOf(catalog, 'gemini-3-pro-image-preview')}.platforms.gemini-api.successor.value`,
        message: 'successor "gemini-4-image" is not a model ID in the catalog',
      },
    ]);
  });

  it('reports a successor that is a preview', () => {
    const catalog = editableCatalog();
    modelIn(catalog, 'gemini-2.5-flash-image').platforms['vertex-ai']!.successor.value =
      'gemini-3.1-flash-image-preview';
    const [problem] = catalogConsistencyProblems(catalog);
    expect(problem?.path).toBe(
      `models.${indexOf(catalog, 'gemini-2.5-flash-image')}.platforms.vertex-ai.successor.value`,
    );
    expect(problem?.message).toMatch(/is preview; a successor must be a GA model/);
  });

  it('judges a successor not offered on the platform by its stage elsewhere', () => {
    const catalog = editableCatalog();
    modelIn(catalog, 'gemini-2.5-flash-image').platforms['vertex-ai']!.successor.value =
      'gemini-3-pro-image-preview';
    expect(catalogConsistencyProblems(catalog)[0]?.message).toMatch(/is preview/);
  });

  it('reports a model that names itself as successor', () => {
    const catalog = editableCatalog();
    modelIn(catalog, 'gemini-3-pro-image').platforms['gemini-api']!.successor.value = 'gemini-3-pro-image';
    expect(catalogConsistencyProblems(catalog)[0]?.message).toMatch(/cannot be its own successor/);
  });

  it('reports a missing pixel size for a supported pair', () => {
    const catalog = editableCatalog();
    const pixelSizes = modelIn(catalog, 'gemini-3-pro-image').capabilities.pixelSizes.value;
    if (pixelSizes === 'unknown') throw new Error('fixture expects a known pixel table');
    delete pixelSizes['2K']!['21:9'];
    expect(catalogConsistencyProblems(catalog)).toEqual([
      {
        path: `models.${indexOf(catalog, 'gemini-3-pro-image')}.capabilities.pixelSizes.value.2K.21:9`,
        message: 'no pixel size for supported image size 2K at aspect ratio 21:9',
      },
    ]);
  });

  it('accepts an unknown pixel table', () => {
    const catalog = editableCatalog();
    modelIn(catalog, 'gemini-3-pro-image').capabilities.pixelSizes.value = 'unknown';
    expect(catalogConsistencyProblems(catalog)).toEqual([]);
  });

  it('reports a default image size the model does not support', () => {
    const catalog = editableCatalog();
    modelIn(catalog, 'gemini-2.5-flash-image').capabilities.defaultImageSize.value = '2K';
    expect(catalogConsistencyProblems(catalog)).toEqual([
      {
        path: `models.${indexOf(catalog, 'gemini-2.5-flash-image')}.capabilities.defaultImageSize.value`,
        message: 'default image size "2K" is not among the supported sizes (1K)',
      },
    ]);
  });
});
