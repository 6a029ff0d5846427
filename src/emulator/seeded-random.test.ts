import { describe, expect, it } from 'vitest';
import { hashString, mulberry32, randomBetween, randomFromParts, randomInteger } from './seeded-random.js';

describe('hashString', () => {
  it('is stable across calls and sensitive to every character', () => {
    expect(hashString('a red fox')).toBe(hashString('a red fox'));
    expect(hashString('a red fox')).not.toBe(hashString('a red fax'));
    expect(hashString('')).not.toBe(hashString(' '));
  });

  it('returns an unsigned 32-bit integer', () => {
    for (const text of ['', 'x', 'a much longer prompt with ünïcödé 🍌']) {
      const hash = hashString(text);
      expect(Number.isInteger(hash)).toBe(true);
      expect(hash).toBeGreaterThanOrEqual(0);
      expect(hash).toBeLessThan(2 ** 32);
    }
  });
});

describe('mulberry32', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const first = mulberry32(42);
    const second = mulberry32(42);
    const other = mulberry32(43);
    const firstValues = Array.from({ length: 5 }, () => first());
    expect(Array.from({ length: 5 }, () => second())).toEqual(firstValues);
    expect(Array.from({ length: 5 }, () => other())).not.toEqual(firstValues);
  });

  it('stays in [0, 1) and spreads over the interval', () => {
    const random = mulberry32(7);
    const values = Array.from({ length: 10_000 }, () => random());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('randomFromParts', () => {
  it('keeps part boundaries so shifted splits give different sequences', () => {
    expect(randomFromParts('a', 'bc')()).not.toBe(randomFromParts('ab', 'c')());
    expect(randomFromParts('a', 'bc')()).toBe(randomFromParts('a', 'bc')());
  });
});

describe('randomBetween and randomInteger', () => {
  it('respect their bounds', () => {
    const random = mulberry32(1);
    for (let draw = 0; draw < 1000; draw++) {
      const float = randomBetween(random, -3, 5);
      expect(float).toBeGreaterThanOrEqual(-3);
      expect(float).toBeLessThan(5);
      const integer = randomInteger(random, 2, 4);
      expect([2, 3, 4]).toContain(integer);
    }
  });
});
