import { createRequire } from 'node:module';
import type { SharpOptions } from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderImage } from '../../emulator/art/index.js';
import { normalisePair } from './normalise-pair.js';
import { perceptualHash } from './perceptual-hash.js';

// The reference implementation this module's pHash must equal bit for bit (it computes only the 64
// coefficients sharp-phash reads).
const require = createRequire(import.meta.url);
const sharpPhash = require('sharp-phash') as (image: Buffer, options?: SharpOptions) => Promise<string>;

describe('perceptualHash', () => {
  it('equals sharp-phash on both twins of several prompts and aspects', async () => {
    for (const [index, [width, height]] of [
      [1024, 1024],
      [1024, 768],
      [512, 896],
    ].entries()) {
      const request = {
        family: 'gemini-3.1-flash-image',
        prompt: `prompt ${index}`,
        seed: index,
        width: width!,
        height: height!,
        mimeType: 'image/png' as const,
        referenceImages: [],
      };
      const pair = await normalisePair(
        await renderImage({ ...request, modelId: 'gemini-3.1-flash-image-preview' }),
        await renderImage({ ...request, modelId: 'gemini-3.1-flash-image' }),
      );
      for (const image of [pair.baseline, pair.candidate]) {
        const reference = await sharpPhash(
          Buffer.from(image.rgba.buffer, image.rgba.byteOffset, image.rgba.byteLength),
          { raw: { width: image.width, height: image.height, channels: 4 } },
        );
        expect(await perceptualHash(image)).toBe(reference);
      }
    }
  });
});
