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
    const estimate = estimateTaskCostUsd(route, submission({ prompt: 'x', image_size: '2K', n: 3 }));
    expect('costUsd' in estimate && estimate.costUsd).toBeCloseTo(prices['2K']! * 3);
  });

  it("uses the model's default size when none is asked for", () => {
    const route = registry.resolve('image_quality');
    const model = route.candidates[0]!.model;
    const defaultSize = knownValue(model.capabilities.defaultImageSize)!;
    const perImage = knownValue(model.pricing.perImageUsd)![defaultSize];
    expect(estimateTaskCostUsd(route, submission({ prompt: 'x' }))).toEqual({ costUsd: perImage });
  });

  it('names the missing catalog field when a price or the default size is unknown', () => {
    const route = registry.resolve('image_quality');
    const primary = route.candidates[0]!;
    const prices = knownValue(primary.model.pricing.perImageUsd)!;
    const { ['2K']: _dropped, ...withoutTwoK } = prices;
    const unpricedRoute = {
      ...route,
      candidates: [
        {
          ...primary,
          model: {
            ...primary.model,
            pricing: {
              ...primary.model.pricing,
              perImageUsd: { ...primary.model.pricing.perImageUsd, value: withoutTwoK },
            },
          },
        },
      ],
    };
    expect(estimateTaskCostUsd(unpricedRoute, submission({ prompt: 'x', image_size: '2K' }))).toEqual({
      missingPrice: expect.stringContaining(`pricing.perImageUsd.2K of ${primary.model.id}`),
    });
    const noDefaultSize = {
      ...route,
      candidates: [
        {
          ...primary,
          model: {
            ...primary.model,
            capabilities: {
              ...primary.model.capabilities,
              defaultImageSize: { ...primary.model.capabilities.defaultImageSize, value: 'unknown' as const },
            },
          },
        },
      ],
    };
    expect(estimateTaskCostUsd(noDefaultSize, submission({ prompt: 'x' }))).toEqual({
      missingPrice: expect.stringContaining(`capabilities.defaultImageSize of ${primary.model.id}`),
    });
    expect(estimateTaskCostUsd({ ...route, candidates: [] }, submission({ prompt: 'x' }))).toEqual({
      missingPrice: expect.stringContaining('image_quality'),
    });
  });
});
