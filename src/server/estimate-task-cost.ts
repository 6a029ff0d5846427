import { knownValue } from '../catalog/index.js';
import type { Route } from '../registry/index.js';
import { estimateImageCostUsd } from '../tools/cost/index.js';
import type { GenerationSubmission } from './request-body.js';

/**
 * List price of the request on the route's primary candidate, at the requested size (or the model's
 * default); undefined when the catalog lacks a price. A fallback may cost more or less: `actual_usd`
 * is what was spent.
 */
export function estimateTaskCostUsd(route: Route, submission: GenerationSubmission): number | undefined {
  const primary = route.candidates[0];
  if (!primary) return undefined;
  const imageSize = submission.imageSize ?? knownValue(primary.model.capabilities.defaultImageSize);
  if (!imageSize) return undefined;
  const estimate = estimateImageCostUsd({
    model: primary.model,
    imageSize,
    imageCount: submission.imageCount,
  });
  return 'costUsd' in estimate ? estimate.costUsd : undefined;
}
