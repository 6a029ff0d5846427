import sharp from 'sharp';

/** Short side, in pixels, both images of a pair are resized to before scoring (default of `normalisePair`). */
export const defaultNormalisedShortSidePixels = 256;

export interface PixelDimensions {
  width: number;
  height: number;
}

/** An image decoded to 8-bit RGBA at the pair's common scoring size. */
export interface NormalisedImage extends PixelDimensions {
  /** Interleaved RGBA, `width * height * 4` bytes (the layout ssim.js reads). */
  rgba: Uint8ClampedArray;
}

export interface NormalisedPair {
  baseline: NormalisedImage;
  candidate: NormalisedImage;
  /** Pixel sizes as generated, before normalising. */
  baselineSize: PixelDimensions;
  candidateSize: PixelDimensions;
}

/**
 * Decodes both images and resizes them to one size: the baseline's aspect with its short side at
 * `shortSidePixels` (default 256). The candidate is stretched to that size, so a different aspect ratio
 * lowers its scores instead of making them incomparable; the size check reports it separately.
 */
export async function normalisePair(
  baselineBytes: Uint8Array,
  candidateBytes: Uint8Array,
  shortSidePixels = defaultNormalisedShortSidePixels,
): Promise<NormalisedPair> {
  const [baselineSize, candidateSize] = await Promise.all([
    pixelSizeOf(baselineBytes, 'baseline'),
    pixelSizeOf(candidateBytes, 'candidate'),
  ]);
  const target = scoringSize(baselineSize, shortSidePixels);
  const [baseline, candidate] = await Promise.all([
    decodeRgba(baselineBytes, target),
    decodeRgba(candidateBytes, target),
  ]);
  return { baseline, candidate, baselineSize, candidateSize };
}

/** The size with the same aspect as `size` and its short side at `shortSidePixels`. */
export function scoringSize(size: PixelDimensions, shortSidePixels: number): PixelDimensions {
  const scale = shortSidePixels / Math.min(size.width, size.height);
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}

async function pixelSizeOf(bytes: Uint8Array, side: string): Promise<PixelDimensions> {
  try {
    const metadata = await sharp(bytes).metadata();
    return { width: metadata.width, height: metadata.height };
  } catch (error) {
    throw new Error(`the ${side} image does not decode: ${(error as Error).message}`, { cause: error });
  }
}

async function decodeRgba(bytes: Uint8Array, size: PixelDimensions): Promise<NormalisedImage> {
  const { data, info } = await sharp(bytes)
    .toColourspace('srgb')
    .removeAlpha()
    .resize(size.width, size.height, { fit: 'fill' })
    .ensureAlpha(1)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    rgba: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
  };
}
