import { describe, expect, it } from 'vitest';
import { builtInCatalog, knownValue } from '../catalog/index.js';
import { defaultConfig } from '../config/index.js';
import { ManualClock } from '../clock/index.js';
import { Registry } from '../registry/index.js';
import { estimateTaskCostUsd } from './estimate-task-cost.js';
import { canonicalSubmission, generationBodySchema, type GenerationSubmission } from './request-body.js';

const catalog = builtInCatalog();
const registry = new Registry({
  config: defaultConfig,
  catalog,
  clock: new ManualClock(Date.UTC(2026, 5, 1)),
});

function submission(body: unknown): GenerationSubmission {
  const result = canonicalSubmission(generationBodySchema.parse(body));
  if ('error' in result) throw result.error;
  return result.submission;
}

describe('estimateTaskCostUsd', () => {
  it('prices the primary candidate per image at the requested size', () => {
    const route = registry.resolve('image_quality');
    const prices = knownValue(route.candidates[0]!.model.pricing.perImageUsd)!;
    expect(estimateTaskCostUsd(route, submission({ prompt: 'x', image_size: '2K', n: 3 }))).toBeCloseTo(
      prices['2K']! * 3,
    );
  });

  it("uses the model's default size when none is asked for", () => {
    const route = registry.resolve('image_quality');
    const model = route.candidates[0]!.model;
    const defaultSize = knownValue(model.capabilities.defaultImageSize)!;
    const perImage = knownValue(model.pricing.perImageUsd)![defaultSize];
    expect(estimateTaskCostUsd(route, submission({ prompt: 'x' }))).toBe(perImage);
  });

  it('is undefined when the catalog has no price for the size', () => {
    const route = registry.resolve('image_quality');
    const prices = knownValue(route.candidates[0]!.model.pricing.perImageUsd)!;
    const unpriced = (['512', '1K', '2K', '4K'] as const).find((size) => prices[size] === undefined);
    if (unpriced)
      expect(estimateTaskCostUsd(route, submission({ prompt: 'x', image_size: unpriced }))).toBeUndefined();
    expect(estimateTaskCostUsd({ ...route, candidates: [] }, submission({ prompt: 'x' }))).toBeUndefined();
  });
});
