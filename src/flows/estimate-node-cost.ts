import { knownValue } from '../catalog/index.js';
import type { Registry } from '../registry/index.js';
import type { TaskRequest } from '../tasks/index.js';

/** List price of one model task before it runs, or undefined when the catalog lacks a price. */
export type EstimateTaskCost = (request: TaskRequest, lane?: { batch: boolean }) => number | undefined;

/**
 * Output tokens assumed for a text node's answer when estimating (a paragraph of direction). The actual
 * cost is what the usage says; this only feeds the estimate shown before a run.
 */
export const assumedTextOutputTokens = 256;

/**
 * Estimates on the route's primary candidate: an image at its catalog per-image price for the size
 * asked (or the default size); text at the input price for the prompt (four characters a token, as the
 * emulator counts) plus `assumedTextOutputTokens` at the output price. A batch-lane image is priced at
 * the catalog's batch factor (undefined when the catalog does not know it).
 */
export function catalogTaskCostEstimator(registry: Pick<Registry, 'resolve'>): EstimateTaskCost {
  return (request, lane) => {
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
    const imageSize = request.imageSize ?? knownValue(primary.model.capabilities.defaultImageSize);
    const perImage = imageSize ? knownValue(pricing.perImageUsd)?.[imageSize as '1K'] : undefined;
    if (perImage === undefined) return undefined;
    const factor = lane?.batch ? knownValue(pricing.batchPriceFactor) : 1;
    return factor === undefined ? undefined : perImage * request.imageCount * factor;
  };
}
