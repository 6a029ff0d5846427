import { imageSizeSchema, knownValue } from '../catalog/index.js';
import type { Registry } from '../registry/index.js';
import type { TaskRequest } from '../tasks/index.js';
import { estimateImageCostUsd } from '../tools/cost/index.js';

/**
 * List price of one model task before it runs (`batch`: at the catalog's batch price), or undefined when
 * the catalog lacks a price.
 */
export type EstimateTaskCost = (request: TaskRequest, options?: { batch?: boolean }) => number | undefined;

/**
 * Output tokens assumed for a text node's answer when estimating (a paragraph of direction). The actual
 * cost is what the usage says; this only feeds the estimate shown before a run.
 */
export const assumedTextOutputTokens = 256;

/**
 * Estimates on the route's primary candidate: an image at its catalog per-image price for the size
 * asked (or the default size); text at the input price for the prompt (four characters a token, as the
 * emulator counts) plus `assumedTextOutputTokens` at the output price.
 */
export function catalogTaskCostEstimator(registry: Pick<Registry, 'resolve'>): EstimateTaskCost {
  return (request, options = {}) => {
    let primary;
    try {
      primary = registry.resolve(request.model).candidates[0];
    } catch {
      return undefined;
    }
    if (!primary) return undefined;
    const pricing = primary.model.pricing;
    if (request.responseModality === 'text') {
      const input = knownValue(pricing.inputPerMillionTokensUsd);
      const output = knownValue(pricing.textOutputPerMillionTokensUsd);
      if (input === undefined || output === undefined) return undefined;
      const promptTokens = Math.ceil(((request.systemInstruction ?? '') + request.prompt).length / 4);
      return (promptTokens * input + assumedTextOutputTokens * output) / 1_000_000;
    }
    const imageSize = imageSizeSchema.safeParse(
      request.imageSize ?? knownValue(primary.model.capabilities.defaultImageSize),
    );
    if (!imageSize.success) return undefined;
    const estimate = estimateImageCostUsd({
      model: primary.model,
      imageSize: imageSize.data,
      imageCount: request.imageCount,
      batch: options.batch === true,
    });
    return 'costUsd' in estimate ? estimate.costUsd : undefined;
  };
}
