import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel } from '../catalog/index.js';
import { deprecationList, modelView } from './model-view.js';

const catalog = builtInCatalog();
const june2026 = Date.UTC(2026, 5, 1);

describe('deprecationList', () => {
  it('lists announced shutdowns soonest first and names the logical names routing to each', () => {
    const rows = deprecationList(catalog, june2026, [
      { name: 'image_pro', modelId: 'gemini-3-pro-image-preview', platform: 'gemini-api' },
      { name: 'image_pro', modelId: 'gemini-3-pro-image-preview', platform: 'gemini-api' },
    ]);
    expect(rows.map((row) => row.shutdown_date)).toEqual(rows.map((row) => row.shutdown_date).sort());
    const preview = rows.find(
      (row) => row.model === 'gemini-3-pro-image-preview' && row.platform === 'gemini-api',
    );
    expect(preview).toMatchObject({
      shutdown_date: '2026-06-25',
      days_to_shutdown: 24,
      is_retired: false,
      used_by: ['image_pro'],
    });
    expect(rows.every((row) => row.shutdown_date !== null)).toBe(true);
  });
});

describe('modelView', () => {
  it('shows lifecycle per offered platform and known capabilities', () => {
    const view = modelView(findModel(catalog, 'gemini-3-pro-image')!, june2026);
    expect(view.lifecycle.map((entry) => entry.platform)).toEqual(['gemini-api', 'vertex-ai']);
    expect(view.capabilities.image_sizes).toContain('4K');
  });
});
