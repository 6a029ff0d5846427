import { describe, expect, it } from 'vitest';
import { meanAbsoluteDifference, structuralSimilarity, type RgbPixels } from './image-metrics.js';
import { mulberry32 } from '../../seeded-random.js';

function noise(width: number, height: number, seed: number): RgbPixels {
  const random = mulberry32(seed);
  return {
    width,
    height,
    data: Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256)),
  };
}

function mapped(pixels: RgbPixels, transform: (value: number) => number): RgbPixels {
  return { ...pixels, data: pixels.data.map(transform) };
}

describe('image metrics used by the art tests', () => {
  it('scores identical images as identical', () => {
    const image = noise(32, 32, 1);
    expect(meanAbsoluteDifference(image, image)).toBe(0);
    expect(structuralSimilarity(image, image)).toBeCloseTo(1, 10);
  });

  it('measures a uniform offset exactly', () => {
    const image = mapped(noise(16, 16, 2), (value) => Math.min(200, value));
    expect(
      meanAbsoluteDifference(
        image,
        mapped(image, (value) => value + 10),
      ),
    ).toBe(10);
  });

  it('scores unrelated and inverted images as dissimilar', () => {
    const image = noise(64, 64, 3);
    expect(structuralSimilarity(image, noise(64, 64, 4))).toBeLessThan(0.2);
    expect(
      structuralSimilarity(
        image,
        mapped(image, (value) => 255 - value),
      ),
    ).toBeLessThan(0);
  });

  it('refuses to compare different sizes', () => {
    expect(() => meanAbsoluteDifference(noise(8, 8, 1), noise(16, 8, 1))).toThrow(
      'size mismatch: 8x8 vs 16x8',
    );
  });
});
