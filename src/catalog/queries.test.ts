import { describe, expect, it } from 'vitest';
import { builtInCatalog } from './load-catalog.js';
import {
  allModelIds,
  bareModelId,
  editDistance,
  findModel,
  knownValue,
  lifecycleOn,
  nearestNames,
  outputPixelSize,
  suggestModelIds,
} from './queries.js';
import type { CatalogModel } from './schema.js';

const catalog = builtInCatalog();
const DAY_MS = 86_400_000;
const utc = (isoDateTime: string): number => Date.parse(`${isoDateTime}Z`);

/** A one-platform model whose only interesting fact is its Gemini API shutdown date. */
function modelShuttingDownOn(shutdownDate: string | null | 'unknown'): CatalogModel {
  const fact = <Value>(value: Value) => ({ value, source: 'test fixture', checkedOn: '2026-01-01' });
  const template = findModel(catalog, 'gemini-3.1-flash-image')!;
  return {
    ...template,
    id: 'fixture-model',
    platforms: {
      'gemini-api': {
        stage: fact('preview' as const),
        releaseDate: fact('2026-01-01'),
        gaDate: fact(null),
        shutdownDate: fact(shutdownDate),
        successor: fact('gemini-3.1-flash-image'),
      },
    },
  };
}

describe('knownValue', () => {
  it('returns the value of a known fact, null included, and undefined for unknown', () => {
    expect(knownValue({ value: 3, source: 's', checkedOn: '2026-01-01' })).toBe(3);
    expect(knownValue({ value: null, source: 's', checkedOn: '2026-01-01' })).toBeNull();
    expect(knownValue({ value: 'unknown', source: 's', checkedOn: '2026-01-01' })).toBeUndefined();
  });
});

describe('bareModelId', () => {
  it.each([
    ['models/gemini-3-pro-image', 'gemini-3-pro-image'],
    ['publishers/google/models/gemini-3-pro-image', 'gemini-3-pro-image'],
    ['projects/p/locations/global/publishers/google/models/gemini-3-pro-image', 'gemini-3-pro-image'],
    ['gemini-3-pro-image', 'gemini-3-pro-image'],
  ])('%s → %s', (name, expected) => {
    expect(bareModelId(name)).toBe(expected);
  });
});

describe('findModel', () => {
  it('resolves an ID with or without a models/ prefix', () => {
    expect(findModel(catalog, 'gemini-3.1-flash-image')?.id).toBe('gemini-3.1-flash-image');
    expect(findModel(catalog, 'models/gemini-3.1-flash-image')?.id).toBe('gemini-3.1-flash-image');
  });

  it('resolves an alias to the model it names', () => {
    expect(findModel(catalog, 'nano-banana-pro-preview')?.id).toBe('gemini-3-pro-image-preview');
    expect(findModel(catalog, 'models/nano-banana-pro-preview')?.id).toBe('gemini-3-pro-image-preview');
  });

  it('returns undefined for an ID the catalog does not know', () => {
    expect(findModel(catalog, 'gemini-9-ultra-image')).toBeUndefined();
  });
});

describe('allModelIds', () => {
  it('lists IDs and aliases', () => {
    const ids = allModelIds(catalog);
    expect(ids).toContain('gemini-3-pro-image-preview');
    expect(ids).toContain('nano-banana-pro-preview');
    expect(ids.length).toBe(catalog.models.length + catalog.models.flatMap((model) => model.aliases).length);
  });
});

describe('lifecycleOn', () => {
  const model = modelShuttingDownOn('2026-06-25');

  it('counts one day left and not retired on the day before shutdown', () => {
    for (const time of ['2026-06-24T00:00:00', '2026-06-24T23:59:59']) {
      const status = lifecycleOn(model, 'gemini-api', utc(time))!;
      expect(status, time).toMatchObject({ stage: 'preview', daysToShutdown: 1, isRetired: false });
    }
  });

  it('is retired with zero days left on the shutdown day', () => {
    for (const time of ['2026-06-25T00:00:00', '2026-06-25T12:00:00']) {
      const status = lifecycleOn(model, 'gemini-api', utc(time))!;
      expect(status, time).toMatchObject({ stage: 'retired', announcedStage: 'preview', isRetired: true });
      expect(Object.is(status.daysToShutdown, 0), time).toBe(true);
    }
  });

  it('counts negative days after shutdown', () => {
    const status = lifecycleOn(model, 'gemini-api', utc('2026-06-26T08:00:00'))!;
    expect(status).toMatchObject({ stage: 'retired', daysToShutdown: -1, isRetired: true });
  });

  it('counts whole days well ahead of shutdown', () => {
    const status = lifecycleOn(model, 'gemini-api', utc('2026-06-25T00:00:00') - 90 * DAY_MS)!;
    expect(status.daysToShutdown).toBe(90);
  });

  it('reports null days when no shutdown is announced and undefined when it is unknown', () => {
    const atMs = utc('2026-06-01T00:00:00');
    expect(lifecycleOn(modelShuttingDownOn(null), 'gemini-api', atMs)).toMatchObject({
      shutdownDate: null,
      daysToShutdown: null,
      isRetired: false,
    });
    expect(lifecycleOn(modelShuttingDownOn('unknown'), 'gemini-api', atMs)).toMatchObject({
      shutdownDate: undefined,
      daysToShutdown: undefined,
      isRetired: false,
    });
  });

  it('returns undefined on a platform that does not offer the model', () => {
    expect(lifecycleOn(model, 'vertex-ai', utc('2026-06-01T00:00:00'))).toBeUndefined();
  });

  it('reads the per-platform dates of the built-in catalog', () => {
    const flashPreview = findModel(catalog, 'gemini-3.1-flash-image-preview')!;
    const atMs = utc('2026-07-01T00:00:00');
    expect(lifecycleOn(flashPreview, 'gemini-api', atMs)).toMatchObject({
      isRetired: true,
      daysToShutdown: -6,
    });
    expect(lifecycleOn(flashPreview, 'vertex-ai', atMs)).toMatchObject({
      isRetired: false,
      daysToShutdown: 16,
      successor: 'gemini-3.1-flash-image',
    });
  });
});

describe('outputPixelSize', () => {
  it('looks up the pixel size for a supported size and ratio', () => {
    const model = findModel(catalog, 'gemini-3-pro-image')!;
    expect(outputPixelSize(model, '4K', '16:9')).toEqual({ width: 5504, height: 3072 });
  });

  it('returns undefined for an unsupported size and for a model with an unknown table', () => {
    expect(outputPixelSize(findModel(catalog, 'gemini-2.5-flash-image')!, '2K', '1:1')).toBeUndefined();
    const unknownTable = findModel(catalog, 'gemini-2.0-flash-preview-image-generation')!;
    expect(outputPixelSize(unknownTable, '1K', '1:1')).toBeUndefined();
  });
});

describe('suggestModelIds', () => {
  it('puts gemini-3-pro-image first for gemini-3.1-pro-image', () => {
    expect(suggestModelIds(catalog, 'gemini-3.1-pro-image')[0]).toBe('gemini-3-pro-image');
  });

  it('fixes a typo in a prefixed name', () => {
    expect(suggestModelIds(catalog, 'models/gemini-2.5-flash-imgae')[0]).toBe('gemini-2.5-flash-image');
  });

  it('suggests nothing for a name far from every ID, and honours the limit', () => {
    expect(suggestModelIds(catalog, 'stable-diffusion-xl')).toEqual([]);
    expect(suggestModelIds(catalog, 'gemini-3.1-flash-image', 2)).toHaveLength(2);
  });
});

describe('nearestNames', () => {
  it('orders by distance, then alphabetically, and honours the limit', () => {
    expect(nearestNames(['bcd', 'abx', 'abd', 'zzzzzz'], 'abc')).toEqual(['abd', 'abx', 'bcd']);
    expect(nearestNames(['bcd', 'abx', 'abd'], 'abc', { limit: 1 })).toEqual(['abd']);
  });

  it('accepts at least `minimumTolerance` edits, more only for long names', () => {
    expect(nearestNames(['abcdef'], 'abcxyz')).toEqual(['abcdef']);
    expect(nearestNames(['abcdef'], 'abcxyz', { minimumTolerance: 2 })).toEqual([]);
    expect(nearestNames(['abcdefghijkl'], 'abcdefghixyz', { minimumTolerance: 2 })).toEqual(['abcdefghijkl']);
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['gemini-3.1-pro-image', 'gemini-3-pro-image', 2],
  ])('%s ↔ %s = %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});
