import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/index.js';
import { routePolicyFor } from './route-policy.js';

describe('routePolicyFor', () => {
  const config = configSchema.parse({
    defaults: { fallbackOn: ['unavailable'], totalBudgetMs: 90_000 },
    routes: {
      tuned: { candidates: [{ model: 'm' }], parameterPolicy: 'refuse', retry: { baseDelayMs: 250 } },
    },
  });

  it('uses the defaults alone for a model ID', () => {
    expect(routePolicyFor(config)).toEqual({
      fallbackOn: ['unavailable'],
      parameterPolicy: 'translate',
      retry: { maxAttempts: 3, maxTotalWaitMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 30_000 },
      totalBudgetMs: 90_000,
    });
  });

  it('lays the route settings over the defaults, retry field by field', () => {
    expect(routePolicyFor(config, 'tuned')).toEqual({
      fallbackOn: ['unavailable'],
      parameterPolicy: 'refuse',
      retry: { maxAttempts: 3, maxTotalWaitMs: 60_000, baseDelayMs: 250, maxDelayMs: 30_000 },
      totalBudgetMs: 90_000,
    });
  });

  it('returns a copy the caller may change', () => {
    routePolicyFor(config).fallbackOn.push('no_image');
    expect(config.defaults.fallbackOn).toEqual(['unavailable']);
  });
});
