import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel } from '../catalog/index.js';
import type { CatalogModel } from '../catalog/schema.js';
import { costOfUsage } from './cost.js';

const catalog = builtInCatalog();
const flash31 = findModel(catalog, 'gemini-3.1-flash-image')!;
const usage = {
  promptTokens: 0,
  outputTextTokens: 0,
  outputImageTokens: 0,
  thoughtsTokens: 0,
  totalTokens: 0,
};

describe('costOfUsage', () => {
  it('prices image tokens as image tokens: one 1K image of 3.1 Flash Image costs the listed $0.067', () => {
    const result = costOfUsage({ ...usage, outputImageTokens: 1120, totalTokens: 1120 }, flash31);
    expect('costUsd' in result && result.costUsd).toBeCloseTo(0.0672, 6);
  });

  it('adds prompt at the input price and text plus thoughts at the text output price', () => {
    const result = costOfUsage(
      {
        promptTokens: 1_000_000,
        outputTextTokens: 500_000,
        outputImageTokens: 0,
        thoughtsTokens: 500_000,
        totalTokens: 2_000_000,
      },
      flash31,
    );
    const pricing = flash31.pricing;
    const expected =
      (pricing.inputPerMillionTokensUsd.value as number) +
      (pricing.textOutputPerMillionTokensUsd.value as number);
    expect('costUsd' in result && result.costUsd).toBeCloseTo(expected, 9);
  });

  it('applies the batch factor', () => {
    const interactive = costOfUsage({ ...usage, outputImageTokens: 1120 }, flash31);
    const batch = costOfUsage({ ...usage, outputImageTokens: 1120 }, flash31, { batch: true });
    expect('costUsd' in batch && 'costUsd' in interactive && batch.costUsd / interactive.costUsd).toBeCloseTo(
      0.5,
      9,
    );
  });

  it('names the missing price when tokens of that kind were used', () => {
    const unpriced: CatalogModel = {
      ...flash31,
      pricing: {
        ...flash31.pricing,
        imageOutputPerMillionTokensUsd: { value: 'unknown', source: 'none', checkedOn: '2026-11-01' },
      },
    };
    expect(costOfUsage({ ...usage, outputImageTokens: 10 }, unpriced)).toEqual({
      missingPrice: 'pricing.imageOutputPerMillionTokensUsd of gemini-3.1-flash-image',
    });
    expect(costOfUsage({ ...usage, promptTokens: 10 }, unpriced)).toHaveProperty('costUsd');
  });
});
