import { diff, rgb_to_lab as rgbToLab, type LabColor } from 'color-diff';
import type { NormalisedImage } from './normalise-pair.js';
import { assertSameSize } from './structural-similarity.js';

/**
 * Mean CIEDE2000 colour difference over every pixel pair (sRGB, D65 white, via CIE L*a*b*), computed
 * with color-diff. Under 1 is invisible, 2-10 is noticeable side by side, over 10 reads as another colour.
 */
export function meanColourDifference(baseline: NormalisedImage, candidate: NormalisedImage): number {
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
  const pixelCount = baseline.width * baseline.height;
  let total = 0;
  for (let pixel = 0; pixel < pixelCount; pixel++) {
    const offset = pixel * 4;
    total += diff(labAt(baseline.rgba, offset), labAt(candidate.rgba, offset));
  }
  return total / pixelCount;
}
