import { ssim } from 'ssim.js';
import type { NormalisedImage } from './normalise-pair.js';

/**
 * Mean SSIM of the two images' luma (Wang et al. 2004: 11x11 Gaussian window with sigma 1.5, K1 0.01,
 * K2 0.03), computed by ssim.js on images already brought to one size. 1 is identical; unrelated
 * pictures score near 0. ssim.js's own downsampling is off: `normalisePair` has done it.
 */
export function structuralSimilarity(baseline: NormalisedImage, candidate: NormalisedImage): number {
  assertSameSize(baseline, candidate);
  const { mssim } = ssim(asImageData(baseline), asImageData(candidate), {
    ssim: 'fast',
    downsample: false,
    windowSize: 11,
    k1: 0.01,
    k2: 0.03,
    bitDepth: 8,
    rgb2grayVersion: 'integer',
  });
  return mssim;
}

function asImageData(image: NormalisedImage) {
  return { data: image.rgba, width: image.width, height: image.height };
}

export function assertSameSize(first: NormalisedImage, second: NormalisedImage): void {
  if (first.width !== second.width || first.height !== second.height) {
    throw new Error(
      `images must be normalised to one size before scoring: ${first.width}x${first.height} vs ${second.width}x${second.height}`,
    );
  }
}
