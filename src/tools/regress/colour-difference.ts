import { diff, rgb_to_lab as rgbToLab, type LabColor } from 'color-diff';
import type { NormalisedImage } from './normalise-pair.js';
import { assertSameSize } from './structural-similarity.js';

/** Pixels between samples along each axis (default of `meanColourDifference`). */
export const defaultColourSampleStepPixels = 2;

/**
 * Mean CIEDE2000 colour difference (sRGB, D65 white, via CIE L*a*b*; color-diff) over a regular grid of
 * pixel pairs, every `sampleStepPixels` (default 2) along each axis: a mean over a quarter of the pixels of
 * the normalised images, at a quarter of the cost. Under 1 is invisible, 2-10 is noticeable side by side,
 * over 10 reads as another colour.
 */
export function meanColourDifference(
  baseline: NormalisedImage,
  candidate: NormalisedImage,
  sampleStepPixels = defaultColourSampleStepPixels,
): number {
  assertSameSize(baseline, candidate);
  // Generated art repeats colours a lot; converting each distinct colour once saves most of the work.
  const labByColour = new Map<number, LabColor>();
  const labAt = (rgba: Uint8ClampedArray, offset: number): LabColor => {
    const red = rgba[offset] ?? 0;
    const green = rgba[offset + 1] ?? 0;
    const blue = rgba[offset + 2] ?? 0;
    const key = (red << 16) | (green << 8) | blue;
    let lab = labByColour.get(key);
    if (!lab) {
      lab = rgbToLab({ R: red, G: green, B: blue });
      labByColour.set(key, lab);
    }
    return lab;
  };
  let total = 0;
  let samples = 0;
  for (let row = 0; row < baseline.height; row += sampleStepPixels) {
    for (let column = 0; column < baseline.width; column += sampleStepPixels) {
      const offset = (row * baseline.width + column) * 4;
      total += diff(labAt(baseline.rgba, offset), labAt(candidate.rgba, offset));
      samples++;
    }
  }
  return total / samples;
}
