/** Pixel comparisons for tests: how far apart two pictures are, and how alike their structure is. */
import sharp from 'sharp';

export interface RgbPixels {
  width: number;
  height: number;
  /** Interleaved 8-bit RGB. */
  data: Uint8Array;
}

/** Decodes any image sharp reads into RGB, optionally resized (fill) to `size` for comparison. */
export async function decodeRgb(
  image: Uint8Array,
  size?: { width: number; height: number },
): Promise<RgbPixels> {
  let pipeline = sharp(image).removeAlpha().toColourspace('srgb');
  if (size !== undefined) pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
  return { width: info.width, height: info.height, data };
}

/** Mean of |a - b| over every channel of every pixel, in 8-bit levels (0 identical, 255 opposite). */
export function meanAbsoluteDifference(first: RgbPixels, second: RgbPixels): number {
  assertSameSize(first, second);
  let total = 0;
  for (let index = 0; index < first.data.length; index++) {
    total += Math.abs((first.data[index] ?? 0) - (second.data[index] ?? 0));
  }
  return total / first.data.length;
}

/**
 * Mean SSIM of the luma over non-overlapping 8x8 windows (Wang et al. 2004 constants). 1 means
 * structurally identical; unrelated pictures score near 0.
 */
export function structuralSimilarity(first: RgbPixels, second: RgbPixels): number {
  assertSameSize(first, second);
  const windowSize = 8;
  const stabiliserMean = (0.01 * 255) ** 2;
  const stabiliserVariance = (0.03 * 255) ** 2;
  const lumaFirst = luma(first);
  const lumaSecond = luma(second);
  let total = 0;
  let windows = 0;
  for (let top = 0; top + windowSize <= first.height; top += windowSize) {
    for (let left = 0; left + windowSize <= first.width; left += windowSize) {
      let sumFirst = 0;
      let sumSecond = 0;
      let sumFirstSquared = 0;
      let sumSecondSquared = 0;
      let sumProduct = 0;
      for (let row = top; row < top + windowSize; row++) {
        for (let column = left; column < left + windowSize; column++) {
          const valueFirst = lumaFirst[row * first.width + column] ?? 0;
          const valueSecond = lumaSecond[row * first.width + column] ?? 0;
          sumFirst += valueFirst;
          sumSecond += valueSecond;
          sumFirstSquared += valueFirst * valueFirst;
          sumSecondSquared += valueSecond * valueSecond;
          sumProduct += valueFirst * valueSecond;
        }
      }
      const count = windowSize * windowSize;
      const meanFirst = sumFirst / count;
      const meanSecond = sumSecond / count;
      const varianceFirst = sumFirstSquared / count - meanFirst * meanFirst;
      const varianceSecond = sumSecondSquared / count - meanSecond * meanSecond;
      const covariance = sumProduct / count - meanFirst * meanSecond;
      total +=
        ((2 * meanFirst * meanSecond + stabiliserMean) * (2 * covariance + stabiliserVariance)) /
        ((meanFirst ** 2 + meanSecond ** 2 + stabiliserMean) *
          (varianceFirst + varianceSecond + stabiliserVariance));
      windows++;
    }
  }
  if (windows === 0) throw new Error('images are smaller than one 8x8 window');
  return total / windows;
}

function luma(pixels: RgbPixels): Float64Array {
  const result = new Float64Array(pixels.width * pixels.height);
  for (let index = 0; index < result.length; index++) {
    result[index] =
      0.299 * (pixels.data[index * 3] ?? 0) +
      0.587 * (pixels.data[index * 3 + 1] ?? 0) +
      0.114 * (pixels.data[index * 3 + 2] ?? 0);
  }
  return result;
}

function assertSameSize(first: RgbPixels, second: RgbPixels): void {
  if (first.width !== second.width || first.height !== second.height) {
    throw new Error(`size mismatch: ${first.width}x${first.height} vs ${second.width}x${second.height}`);
  }
}
