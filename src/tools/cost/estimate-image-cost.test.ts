import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel } from '../../catalog/index.js';
import { estimateImageCostUsd, MissingPriceError } from './estimate-image-cost.js';

const catalog = builtInCatalog();
const model = (id: string) => findModel(catalog, id)!;

describe('estimateImageCostUsd', () => {
  it('multiplies the per-image list price and applies the batch factor', () => {
    // Catalog: 3 Pro Image $0.24 per 4K image, batch factor 0.5.
    const online = estimateImageCostUsd({
      model: model('gemini-3-pro-image'),
      imageSize: '4K',
      imageCount: 3,
    });
    expect('costUsd' in online && online.costUsd).toBeCloseTo(0.72, 10);
    const batch = estimateImageCostUsd({
      model: model('gemini-3-pro-image'),
      imageSize: '4K',
      imageCount: 3,
      batch: true,
    });
    expect('costUsd' in batch && batch.costUsd).toBeCloseTo(0.36, 10);
  });

  it('fails closed naming the missing price', () => {
    expect(
      estimateImageCostUsd({ model: model('gemini-3.1-flash-lite-image'), imageSize: '1K', imageCount: 1 }),
    ).toEqual({
      missingPrice: 'pricing.perImageUsd of gemini-3.1-flash-lite-image',
    });
    expect(
      estimateImageCostUsd({ model: model('gemini-2.5-flash-image'), imageSize: '4K', imageCount: 1 }),
    ).toEqual({
      missingPrice: 'pricing.perImageUsd.4K of gemini-2.5-flash-image (prices listed for: 1K)',
    });
  });

  it('MissingPriceError names every price', () => {
    expect(new MissingPriceError(['a of x', 'b of y']).message).toContain(
      'the catalog has no a of x; no b of y',
    );
  });
});
