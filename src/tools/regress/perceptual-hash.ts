import { createRequire } from 'node:module';
import type { SharpOptions } from 'sharp';
import type { NormalisedImage } from './normalise-pair.js';

// sharp-phash is CommonJS whose typings declare a default export it does not have; require gives the
// function itself under every module setting.
const require = createRequire(import.meta.url);
const phash = require('sharp-phash') as (image: Buffer, options?: SharpOptions) => Promise<string>;
const hammingDistance = require('sharp-phash/distance') as (first: string, second: string) => number;

/** Bits in a perceptual hash: the 8x8 lowest DCT frequencies of a 32x32 greyscale copy. */
export const perceptualHashBits = 64;

/** The 64-bit DCT perceptual hash (pHash) of an image, as a string of 64 `0`/`1` (sharp-phash). */
export function perceptualHash(image: NormalisedImage): Promise<string> {
  return phash(Buffer.from(image.rgba.buffer, image.rgba.byteOffset, image.rgba.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
}

/** Number of differing bits between two hashes: 0 same picture, about 32 unrelated pictures. */
export function perceptualHashDistance(first: string, second: string): number {
  if (first.length !== second.length) {
    throw new Error(`perceptual hashes differ in length: ${first.length} vs ${second.length} bits`);
  }
  return hammingDistance(first, second);
}
