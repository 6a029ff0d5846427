/**
 * The reduced canvas the art is painted on before sharp upscales it to the exact output size.
 * Painting 4K pixel by pixel in JavaScript would take seconds; the art is smooth, so a small
 * canvas upscaled loses nothing a test or a demo would notice.
 */

/** Longest side of the painted canvas, in pixels, when the caller gives none. */
export const defaultWorkingMaxSidePixels = 512;

export interface PixelSize {
  width: number;
  height: number;
}

/**
 * Scales `outputSize` down (never up) so its longer side is at most `maxSidePixels` (default
 * {@link defaultWorkingMaxSidePixels}), keeping the aspect ratio and at least 1 pixel per side.
 */
export function workingSize(outputSize: PixelSize, maxSidePixels = defaultWorkingMaxSidePixels): PixelSize {
  const scale = Math.min(1, maxSidePixels / Math.max(outputSize.width, outputSize.height));
  return {
    width: Math.max(1, Math.round(outputSize.width * scale)),
    height: Math.max(1, Math.round(outputSize.height * scale)),
  };
}
