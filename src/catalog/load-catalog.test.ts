import { describe, expect, it } from 'vitest';
import { catalogData } from './data/models.js';
import { builtInCatalog, loadCatalog } from './load-catalog.js';

const editableData = () => structuredClone(catalogData);

describe('loadCatalog', () => {
  it('accepts the built-in data and fills defaults', () => {
    const data = editableData();
    delete data.models[0]!.aliases;
    const catalog = loadCatalog(data);
    expect(catalog.models).toHaveLength(catalogData.models.length);
    expect(catalog.models[0]!.aliases).toEqual([]);
  });

  it('rejects a wrong type with an error naming the path', () => {
    const data = editableData() as { models: { platforms: Record<string, { stage: { value: string } }> }[] };
    data.models[3]!.platforms['gemini-api']!.stage.value = 'beta';
    expect(() => loadCatalog(data)).toThrow(/models\.3\.platforms\.gemini-api\.stage\.value/);
  });

  it('rejects a badly written date with an error naming the path and the format', () => {
    const data = editableData() as {
      models: { platforms: Record<string, { shutdownDate: { value: string } }> }[];
    };
    data.models[2]!.platforms['gemini-api']!.shutdownDate.value = '31/10/2025';
    expect(() => loadCatalog(data)).toThrow(
      /models\.2\.platforms\.gemini-api\.shutdownDate\.value.*YYYY-MM-DD/s,
    );
  });

  it('lists every problem, not only the first', () => {
    const data = editableData() as { reviewedOn: string; models: { displayName: string }[] };
    data.reviewedOn = 'today';
    data.models[1]!.displayName = '';
    const error = (() => {
      try {
        loadCatalog(data);
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('expected loadCatalog to throw');
    })();
    expect(error.message).toMatch(/reviewedOn/);
    expect(error.message).toMatch(/models\.1\.displayName/);
  });

  it('rejects data that is not an object, naming the root', () => {
    expect(() => loadCatalog('models')).toThrow(/\(root\)/);
  });

  it('rejects schema-valid data that breaks a cross-entry rule, naming the path', () => {
    const data = editableData();
    const preview = data.models.find((model) => model.id === 'gemini-3-pro-image-preview')!;
    preview.platforms['gemini-api']!.successor.value = 'gemini-3-pro-imag';
    const index = data.models.indexOf(preview);
    expect(() => loadCatalog(data)).toThrow(
      new RegExp(`inconsistent[\\s\\S]*models\\.${index}\\.platforms\\.gemini-api\\.successor\\.value`),
    );
  });
});

describe('builtInCatalog', () => {
  it('returns the same validated catalog on every call', () => {
    expect(builtInCatalog()).toBe(builtInCatalog());
    expect(builtInCatalog().reviewedOn).toBe(catalogData.reviewedOn);
  });
});
