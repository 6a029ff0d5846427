/**
 * Which frames of a video to keep: the centres of `frameCount` equal slices, so a 3-frame summary
 * shows the beginning, middle and end rather than the very first and last (often black) frames.
 */
export function evenlySpacedFrameIndices(totalFrames: number, frameCount: number): number[] {
  if (!Number.isInteger(totalFrames) || totalFrames < 1) {
    throw new RangeError(`totalFrames must be a positive integer (got ${totalFrames})`);
  }
  if (!Number.isInteger(frameCount) || frameCount < 1) {
    throw new RangeError(`frameCount must be a positive integer (got ${frameCount})`);
  }
  return Array.from({ length: frameCount }, (_, slice) =>
    Math.min(totalFrames - 1, Math.floor(((slice + 0.5) * totalFrames) / frameCount)),
  );
}
