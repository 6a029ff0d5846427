import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderImage } from '../../emulator/art/index.js';
import { scoringSize } from './normalise-pair.js';
import { scoreImagePair } from './score-pair.js';

const art = (overrides: Partial<Parameters<typeof renderImage>[0]> = {}) =>
  renderImage({
    family: 'gemini-3.1-flash-image',
    modelId: 'gemini-3.1-flash-image-preview',
    prompt: 'a lighthouse at dusk',
    seed: 7,
    width: 512,
    height: 512,
    mimeType: 'image/png',
    referenceImages: [],
    ...overrides,
  });

const solid = (colour: { r: number; g: number; b: number }, width = 64, height = 64) =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();

describe('scoreImagePair', () => {
  it('scores an image against itself as identical', async () => {
    const image = await art();
    const scores = await scoreImagePair(image, image);
    expect(scores.ssim).toBeCloseTo(1, 6);
    expect(scores.perceptualHashDistance).toBe(0);
    expect(scores.meanDeltaE).toBe(0);
    expect(scores.dimensionMismatch).toBe(false);
  });

  it('keeps a model twin close and another prompt far', async () => {
    const preview = await art();
    const twin = await scoreImagePair(preview, await art({ modelId: 'gemini-3.1-flash-image' }));
    const other = await scoreImagePair(preview, await art({ prompt: 'a bowl of ramen' }));
    expect(twin.ssim).toBeGreaterThan(0.95);
    expect(twin.perceptualHashDistance).toBeLessThanOrEqual(6);
    expect(other.ssim).toBeLessThan(twin.ssim);
    expect(other.perceptualHashDistance).toBeGreaterThan(20);
    expect(other.meanDeltaE).toBeGreaterThan(twin.meanDeltaE);
  });

  it('reports a size mismatch while the picture itself still matches', async () => {
    const large = await art({ width: 1024, height: 1024 });
    const small = await art({ width: 512, height: 512 });
    const scores = await scoreImagePair(large, small);
    expect(scores.dimensionMismatch).toBe(true);
    expect(scores.baselineSize).toEqual({ width: 1024, height: 1024 });
    expect(scores.candidateSize).toEqual({ width: 512, height: 512 });
    expect(scores.ssim).toBeGreaterThan(0.95);
  });

  it('measures colour difference in CIEDE2000 units', async () => {
    // Pure red against pure blue is about 52.9 in CIEDE2000 (CIE76 would say about 176).
    const scores = await scoreImagePair(
      await solid({ r: 255, g: 0, b: 0 }),
      await solid({ r: 0, g: 0, b: 255 }),
    );
    expect(scores.meanDeltaE).toBeCloseTo(52.88, 1);
  });

  it('names the side whose image does not decode', async () => {
    const image = await solid({ r: 1, g: 2, b: 3 });
    await expect(scoreImagePair(image, Buffer.from('not an image'))).rejects.toThrow(
      /candidate image does not decode/,
    );
  });
});

describe('scoringSize', () => {
  it('keeps the aspect with the short side at the given length', () => {
    expect(scoringSize({ width: 2048, height: 1152 }, 256)).toEqual({ width: 455, height: 256 });
    expect(scoringSize({ width: 512, height: 1024 }, 256)).toEqual({ width: 256, height: 512 });
  });
});
