import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);
    const firstDraws = Array.from({ length: 5 }, first);
    expect(Array.from({ length: 5 }, second)).toEqual(firstDraws);
  });

  it('gives a different sequence for a different seed', () => {
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 10_000 }, random);
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    const belowHalf = draws.filter((draw) => draw < 0.5).length;
    expect(belowHalf).toBeGreaterThan(4_700);
    expect(belowHalf).toBeLessThan(5_300);
  });
});
