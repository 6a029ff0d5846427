import { defaultCircuitBreakerOptions } from './circuit-breaker.js';
import { LocalUpstreamGuards } from './local-upstream-guards.js';
import {
  contractBreakerOptions,
  describeUpstreamGuardsContract,
} from './test-support/upstream-guards-contract.js';
import { describe, expect, it } from 'vitest';

describeUpstreamGuardsContract('in-process', async () => {
  const guards = new LocalUpstreamGuards(contractBreakerOptions);
  return { instances: [guards], cleanup: () => guards.close() };
});

describe('LocalUpstreamGuards', () => {
  it('gives one pacer and one breaker per model, kept between calls', () => {
    const guards = new LocalUpstreamGuards(defaultCircuitBreakerOptions);
    expect(guards.quotaFor('gemini-api/m', 5)).toBe(guards.quotaFor('gemini-api/m', 5));
    expect(guards.breakerFor('gemini-api/m')).toBe(guards.breakerFor('gemini-api/m'));
    expect(guards.breakerFor('gemini-api/m')).not.toBe(guards.breakerFor('gemini-api/n'));
  });
});
