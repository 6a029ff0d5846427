import { knownValue } from '../catalog/index.js';
import type { CatalogModel, Fact } from '../catalog/index.js';
import type { Usage } from '../outcome/index.js';

export type CostEstimate = { costUsd: number } | { missingPrice: string };

/**
 * Cost of actual usage at the catalog's list prices: prompt tokens at the input price, image output tokens
 * at the image output price, other output tokens and thinking tokens at the text output price. A price
 * the catalog does not know is only "missing" when tokens of that kind were used.
 *
 * @param options.batch apply the catalog's batch price factor (default false)
 */
export function costOfUsage(
  usage: Usage,
  model: CatalogModel,
  options: { batch?: boolean } = {},
): CostEstimate {
  const pricing = model.pricing;
  const lines: Array<[tokens: number, price: Fact<number>, field: string]> = [
    [usage.promptTokens, pricing.inputPerMillionTokensUsd, 'inputPerMillionTokensUsd'],
    [usage.outputImageTokens, pricing.imageOutputPerMillionTokensUsd, 'imageOutputPerMillionTokensUsd'],
    [
      usage.outputTextTokens + usage.thoughtsTokens,
      pricing.textOutputPerMillionTokensUsd,
      'textOutputPerMillionTokensUsd',
    ],
  ];
  let costUsd = 0;
  for (const [tokens, price, field] of lines) {
    if (tokens === 0) continue;
    const perMillionUsd = knownValue(price);
    if (perMillionUsd === undefined) return { missingPrice: `pricing.${field} of ${model.id}` };
    costUsd += (tokens * perMillionUsd) / 1_000_000;
  }
  if (options.batch && costUsd > 0) {
    const factor = knownValue(pricing.batchPriceFactor);
    if (factor === undefined) return { missingPrice: `pricing.batchPriceFactor of ${model.id}` };
    costUsd *= factor;
  }
  return { costUsd };
}
