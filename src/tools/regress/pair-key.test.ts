import { describe, expect, it } from 'vitest';
import { pairKey, seedForPrompt } from './pair-key.js';

const base = { prompt: 'a red fox', baseline: 'model-a', candidate: 'model-b', params: { seed: 1 } };

describe('pairKey', () => {
  it('is stable and changes with the prompt, either side and every parameter', () => {
    const key = pairKey(base);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(pairKey({ ...base })).toBe(key);
    const variants = [
      { ...base, prompt: 'a red fox.' },
      { ...base, baseline: 'model-c' },
      { ...base, candidate: 'model-c' },
      { ...base, params: { seed: 2 } },
      { ...base, params: { seed: 1, imageSize: '2K' as const } },
      { ...base, params: { seed: 1, aspectRatio: '16:9' as const } },
    ];
    expect(new Set([key, ...variants.map(pairKey)]).size).toBe(variants.length + 1);
  });
});

describe('seedForPrompt', () => {
  it('derives a repeatable non-negative 32-bit seed per prompt', () => {
    expect(seedForPrompt('a red fox')).toBe(seedForPrompt('a red fox'));
    expect(seedForPrompt('a red fox')).not.toBe(seedForPrompt('a lighthouse'));
    expect(seedForPrompt('a red fox')).toBeGreaterThanOrEqual(0);
    expect(seedForPrompt('a red fox')).toBeLessThan(2 ** 31);
  });
});
