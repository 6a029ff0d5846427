import { meanColourDifference } from './colour-difference.js';
import { defaultNormalisedShortSidePixels, normalisePair, type PixelDimensions } from './normalise-pair.js';
import { perceptualHash, perceptualHashDistance } from './perceptual-hash.js';
import { structuralSimilarity } from './structural-similarity.js';

/** How alike the two images of a pair are, measured on copies normalised to one size. */
export interface ImagePairScores {
  /** Mean SSIM of the luma, 0-1 (1 identical). */
  ssim: number;
  /** Hamming distance of the 64-bit DCT pHashes, 0-64 (0 same picture). */
  perceptualHashDistance: number;
  /** Mean CIEDE2000 difference per pixel (0 identical colours). */
  meanDeltaE: number;
  /** The two images were generated at different pixel sizes. */
  dimensionMismatch: boolean;
  baselineSize: PixelDimensions;
  candidateSize: PixelDimensions;
}

export interface ScorePairOptions {
  /** Short side of the normalised copies, in pixels. Default 256. */
  shortSidePixels?: number;
}

export async function scoreImagePair(
  baselineBytes: Uint8Array,
  candidateBytes: Uint8Array,
  options: ScorePairOptions = {},
): Promise<ImagePairScores> {
  const pair = await normalisePair(
    baselineBytes,
    candidateBytes,
    options.shortSidePixels ?? defaultNormalisedShortSidePixels,
  );
  const [baselineHash, candidateHash] = await Promise.all([
    perceptualHash(pair.baseline),
    perceptualHash(pair.candidate),
  ]);
  return {
    ssim: structuralSimilarity(pair.baseline, pair.candidate),
    perceptualHashDistance: perceptualHashDistance(baselineHash, candidateHash),
    meanDeltaE: meanColourDifference(pair.baseline, pair.candidate),
    dimensionMismatch:
      pair.baselineSize.width !== pair.candidateSize.width ||
      pair.baselineSize.height !== pair.candidateSize.height,
    baselineSize: pair.baselineSize,
    candidateSize: pair.candidateSize,
  };
}
