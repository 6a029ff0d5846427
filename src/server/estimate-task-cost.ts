import { knownValue } from '../catalog/index.js';
import type { Route } from '../registry/index.js';
import { estimateImageCostUsd, type ImageCostEstimate } from '../tools/cost/index.js';
import type { GenerationSubmission } from './request-body.js';

/**
 * List price of the request on the route's primary candidate, at the requested size (or the model's
 * default), or the catalog field that is missing (budgets refuse unknown costs and say which price is
 * missing). A batch-lane task is estimated at the catalog's batch price. A fallback, or a batch task that
 * moved online, may cost more or less: `actual_usd` is what was spent.
 */
export function estimateTaskCostUsd(route: Route, submission: GenerationSubmission): ImageCostEstimate {
  const primary = route.candidates[0];
  if (!primary) return { missingPrice: `a price for "${route.name}", which has no candidate model` };
  const imageSize = submission.imageSize ?? knownValue(primary.model.capabilities.defaultImageSize);
  if (!imageSize) {
    return {
      missingPrice: `capabilities.defaultImageSize of ${primary.model.id} (send image_size to price the request)`,
    };
  }
  return estimateImageCostUsd({
    model: primary.model,
    imageSize,
    imageCount: submission.imageCount,
    batch: submission.lane === 'batch',
  });
}
