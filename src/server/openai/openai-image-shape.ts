import { aspectRatioSchema, type AspectRatio, type ImageSize } from '../../catalog/index.js';

export type OpenAiQuality = 'low' | 'medium' | 'high' | 'auto' | 'standard' | 'hd';

/** What an OpenAI `size` and `quality` become: a Gemini aspect ratio and image size, each optional. */
export interface ImageShape {
  aspectRatio?: AspectRatio;
  imageSize?: ImageSize;
}

/** Nominal pixel area of each image size tier (the square output of the tier). */
const tierAreas: readonly [ImageSize, number][] = [
  ['1K', 1024 * 1024],
  ['2K', 2048 * 2048],
  ['4K', 4096 * 4096],
];
const tierRank: Record<ImageSize, number> = { '512': 0, '1K': 1, '2K': 2, '4K': 3 };

export const openAiSizePattern = /^(\d{1,5})x(\d{1,5})$/;

/**
 * Maps an OpenAI `size` ("1536x1024", "auto") and `quality` to the nearest Gemini shape:
 * - the aspect ratio closest to width/height (compared as log ratios, so 3:2 and 2:3 are equally far
 *   from 1:1);
 * - the image size tier whose area is closest to width x height on a log scale, never below 1K (the
 *   512 tier exists on few models, so smaller OpenAI sizes get 1K rather than a refusal);
 * - `quality: high` (or `hd`) asks for at least 2K; `low`, `medium`, `standard` and `auto` change nothing.
 * "auto" or no size leaves both to the model's defaults.
 */
export function imageShapeFor(size: string | undefined, quality: OpenAiQuality | undefined): ImageShape {
  const shape: ImageShape = {};
  const match = size === undefined || size === 'auto' ? null : openAiSizePattern.exec(size);
  if (match) {
    const width = Number(match[1]);
    const height = Number(match[2]);
    shape.aspectRatio = nearestAspectRatio(width / height);
    shape.imageSize = nearestTier(width * height);
  }
  if (quality === 'high' || quality === 'hd') {
    shape.imageSize = shape.imageSize && tierRank[shape.imageSize] > tierRank['2K'] ? shape.imageSize : '2K';
  }
  return shape;
}

function nearestAspectRatio(ratio: number): AspectRatio {
  const distance = (candidate: AspectRatio) => {
    const [width, height] = candidate.split(':').map(Number) as [number, number];
    return Math.abs(Math.log(width / height) - Math.log(ratio));
  };
  return aspectRatioSchema.options.reduce((best, candidate) =>
    distance(candidate) < distance(best) ? candidate : best,
  );
}

function nearestTier(area: number): ImageSize {
  const distance = (tierArea: number) => Math.abs(Math.log(tierArea) - Math.log(area));
  let best = tierAreas[0] as [ImageSize, number];
  for (const tier of tierAreas) if (distance(tier[1]) < distance(best[1])) best = tier;
  return best[0];
}
