import { describe, expect, it } from 'vitest';
import { knownValue } from '../catalog/index.js';
import { ManualClock } from '../clock/index.js';
import { defaultConfig } from '../config/index.js';
import { Registry } from '../registry/index.js';
import type { TaskRequest } from '../tasks/index.js';
import { catalogTaskCostEstimator } from './estimate-node-cost.js';

const registry = new Registry({ config: defaultConfig, clock: new ManualClock(Date.UTC(2026, 7, 1)) });
const request: TaskRequest = {
  model: 'image_fast',
  prompt: 'a lighthouse',
  imageSize: '1K',
  outputFormat: 'png',
  references: [],
  history: [],
  imageCount: 1,
};

describe('catalogTaskCostEstimator', () => {
  it('prices a batch-lane image at the catalog batch factor of the online price', () => {
    const estimate = catalogTaskCostEstimator(registry);
    const online = estimate(request);
    expect(online).toBeGreaterThan(0);
    expect(estimate(request, { batch: false })).toBe(online);
    const primary = registry.resolve('image_fast').candidates[0]!.model;
    const factor = knownValue(primary.pricing.batchPriceFactor);
    expect(factor).toBe(0.5);
    expect(estimate(request, { batch: true })).toBeCloseTo(online! * 0.5, 10);
  });
});
