import { knownValue, type CatalogModel, type ImageSize } from '../../catalog/index.js';
import { ImagegateError } from '../../errors/index.js';

export type ImageCostEstimate = { costUsd: number } | { missingPrice: string };

/**
 * The list price of `imageCount` images of one size, online or in a batch. Fails closed: a price the
 * catalog does not know comes back as `missingPrice` naming the exact field, never as zero.
 */
export function estimateImageCostUsd(input: {
  model: CatalogModel;
  imageSize: ImageSize;
  imageCount: number;
  /** Apply the catalog's batch price factor. Default false. */
  batch?: boolean;
}): ImageCostEstimate {
  const { model, imageSize } = input;
  const perImage = knownValue(model.pricing.perImageUsd);
  if (perImage === undefined) return { missingPrice: `pricing.perImageUsd of ${model.id}` };
  const unitUsd = perImage[imageSize];
  if (unitUsd === undefined) {
    const listed = Object.keys(perImage).join(', ') || 'none';
    return { missingPrice: `pricing.perImageUsd.${imageSize} of ${model.id} (prices listed for: ${listed})` };
  }
  let costUsd = unitUsd * input.imageCount;
  if (input.batch) {
    const factor = knownValue(model.pricing.batchPriceFactor);
    if (factor === undefined) return { missingPrice: `pricing.batchPriceFactor of ${model.id}` };
    costUsd *= factor;
  }
  return { costUsd };
}

/** Thrown where a cost must be known (plans, budgets): names every missing price. */
export class MissingPriceError extends ImagegateError {
  constructor(readonly missingPrices: string[]) {
    super(
      'missing_price',
      `cannot compute the cost: the catalog has no ${missingPrices.join('; no ')}. Pick a model and size with known prices, or add the price to the catalog.`,
    );
  }
}
