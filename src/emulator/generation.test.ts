import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel } from '../catalog/index.js';
import type { GenerationPlan } from './generation-plan.js';
import { nearestAspectRatio, pixelSizeFor } from './generation.js';

describe('nearestAspectRatio', () => {
  it.each([
    [{ width: 1920, height: 1080 }, '16:9'],
    [{ width: 100, height: 100 }, '1:1'],
    [{ width: 600, height: 800 }, '3:4'],
    [{ width: 100, height: 900 }, '9:16'],
  ] as const)('%j → %s among the common ratios', (size, expected) => {
    expect(nearestAspectRatio(size, ['1:1', '3:4', '4:3', '9:16', '16:9'])).toBe(expected);
  });
});

describe('pixelSizeFor', () => {
  const plan = (id: string) => ({ model: findModel(builtInCatalog(), id)! }) as GenerationPlan;

  it('uses the catalog table when it has the pair', () => {
    expect(pixelSizeFor(plan('gemini-2.5-flash-image'), '1K', '16:9')).toEqual({ width: 1344, height: 768 });
  });

  it('falls back to a one-megapixel rectangle of the ratio, in multiples of 16, when the catalog does not know', () => {
    const size = pixelSizeFor(plan('gemini-2.0-flash-exp-image-generation'), undefined, '16:9');
    expect(size.width % 16).toBe(0);
    expect(size.height % 16).toBe(0);
    expect(size.width / size.height).toBeCloseTo(16 / 9, 1);
    expect(size.width * size.height).toBeGreaterThan(0.9 * 1024 * 1024);
  });
});
