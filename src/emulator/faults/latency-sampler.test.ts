import { describe, expect, it } from 'vitest';
import { sampleLogNormalMs } from './latency-sampler.js';
import { mulberry32 } from '../seeded-random.js';

describe('sampleLogNormalMs', () => {
  it('matches the asked median and 95th percentile over many draws', () => {
    const random = mulberry32(3);
    const samples = Array.from({ length: 20_000 }, () => sampleLogNormalMs(8_000, 20_000, random)).sort(
      (a, b) => a - b,
    );
    const median = samples[10_000]!;
    const p95 = samples[19_000]!;
    expect(median).toBeGreaterThan(7_600);
    expect(median).toBeLessThan(8_400);
    expect(p95).toBeGreaterThan(18_500);
    expect(p95).toBeLessThan(21_500);
  });

  it('returns the median itself when there is no spread', () => {
    expect(sampleLogNormalMs(1_200, 1_200, mulberry32(1))).toBe(1_200);
  });

  it('returns 0 for a zero median without drawing', () => {
    let draws = 0;
    expect(sampleLogNormalMs(0, 0, () => (draws++, 0.5))).toBe(0);
    expect(draws).toBe(0);
  });
});
