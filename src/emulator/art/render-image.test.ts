import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ReferenceImageDecodeError } from './reference-mosaic.js';
import { renderImage } from './render-image.js';
import { tileLayout } from './tile-layout.js';
import { RenderRequestError, type RenderRequest } from './render-request.js';
import { decodeRgb, meanAbsoluteDifference, structuralSimilarity } from './test-support/image-metrics.js';
import { ffmpegAvailableForTests, makeTestVideo } from './test-support/test-video.js';
import { extractVideoFrames } from './video-frames.js';

const ffmpegAvailable = await ffmpegAvailableForTests();

const request: RenderRequest = {
  family: 'gemini-3-pro-image',
  modelId: 'gemini-3-pro-image-preview',
  prompt: 'a lighthouse at dusk, oil painting',
  seed: undefined,
  width: 1024,
  height: 1024,
  mimeType: 'image/png',
  referenceImages: [],
};

/** Colour distance at which two pictures are unmistakably different to the eye (8-bit levels). */
const clearlyDifferentLevels = 20;

describe('renderImage output format', () => {
  it.each([
    [1024, 1024, 'image/png', 'png'],
    [1376, 768, 'image/jpeg', 'jpeg'],
    [12288, 1536, 'image/png', 'png'],
    [2048, 8192, 'image/jpeg', 'jpeg'],
    // The 4K sizes; how long they take is measured by `npm run bench -- render-image`.
    [4096, 4096, 'image/png', 'png'],
    [4096, 4096, 'image/jpeg', 'jpeg'],
    [5504, 3072, 'image/png', 'png'],
    [5504, 3072, 'image/jpeg', 'jpeg'],
  ] as const)('renders %ix%i as a decodable %s', async (width, height, mimeType, format) => {
    const image = await renderImage({ ...request, width, height, mimeType });
    expect(await sharp(image).metadata()).toMatchObject({ format, width, height, channels: 3 });
  });

  it('rejects a malformed request naming the field', async () => {
    await expect(renderImage({ ...request, width: -1 })).rejects.toThrow(RenderRequestError);
    await expect(renderImage({ ...request, width: -1 })).rejects.toThrow('width must be at least 1 pixel');
  });
});

describe('renderImage content', () => {
  it('returns byte-identical output for the same inputs', async () => {
    for (const mimeType of ['image/png', 'image/jpeg'] as const) {
      const first = await renderImage({ ...request, mimeType, seed: 42 });
      const second = await renderImage({ ...request, mimeType, seed: 42 });
      expect(second.equals(first)).toBe(true);
    }
  });

  it('draws clearly different pictures for different prompts', async () => {
    const prompts = ['a lighthouse at dusk', 'a bowl of ramen', 'neon city at night', 'a cat on a sofa'];
    const images = await Promise.all(
      prompts.map(async (prompt) =>
        decodeRgb(await renderImage({ ...request, prompt, width: 512, height: 512 })),
      ),
    );
    for (let first = 0; first < images.length; first++) {
      for (let second = first + 1; second < images.length; second++) {
        const firstImage = images[first];
        const secondImage = images[second];
        if (firstImage === undefined || secondImage === undefined) throw new Error('missing image');
        expect(meanAbsoluteDifference(firstImage, secondImage)).toBeGreaterThan(clearlyDifferentLevels);
      }
    }
  });

  it('draws a different picture for a different seed, and for no seed', async () => {
    const withSeed = await decodeRgb(await renderImage({ ...request, seed: 1 }));
    const otherSeed = await decodeRgb(await renderImage({ ...request, seed: 2 }));
    const noSeed = await decodeRgb(await renderImage({ ...request, seed: undefined }));
    expect(meanAbsoluteDifference(withSeed, otherSeed)).toBeGreaterThan(clearlyDifferentLevels);
    expect(meanAbsoluteDifference(withSeed, noSeed)).toBeGreaterThan(clearlyDifferentLevels);
  });

  it('makes a preview model and its GA twin close (SSIM > 0.9) but not identical', async () => {
    for (const prompt of ['a lighthouse at dusk', 'a bowl of ramen', 'neon city at night']) {
      const previewBytes = await renderImage({ ...request, prompt });
      const gaBytes = await renderImage({ ...request, prompt, modelId: 'gemini-3-pro-image' });
      expect(gaBytes.equals(previewBytes)).toBe(false);
      const previewPixels = await decodeRgb(previewBytes);
      const gaPixels = await decodeRgb(gaBytes);
      expect(structuralSimilarity(previewPixels, gaPixels)).toBeGreaterThan(0.9);
      expect(meanAbsoluteDifference(previewPixels, gaPixels)).toBeGreaterThan(0);
      expect(meanAbsoluteDifference(previewPixels, gaPixels)).toBeLessThan(10);
    }
  });

  it('keeps twins of another family apart from this family', async () => {
    const thisFamily = await decodeRgb(await renderImage(request));
    const otherFamily = await decodeRgb(await renderImage({ ...request, family: 'gemini-3.1-flash-image' }));
    expect(meanAbsoluteDifference(thisFamily, otherFamily)).toBeGreaterThan(clearlyDifferentLevels);
  });
});

describe('renderImage edits', () => {
  const size = { width: 1024, height: 768 };

  async function photo(): Promise<Buffer> {
    // A "photo" unrelated to the prompt art: different size and aspect, drawn by another family.
    return renderImage({
      ...request,
      family: 'a-camera',
      prompt: 'reference photo',
      width: 800,
      height: 800,
      mimeType: 'image/jpeg',
    });
  }

  it('derives the output from the reference: much closer to it than a fresh render is', async () => {
    const reference = await photo();
    const referencePixels = await decodeRgb(reference, size);
    const edited = await decodeRgb(await renderImage({ ...request, ...size, referenceImages: [reference] }));
    const fresh = await decodeRgb(await renderImage({ ...request, ...size }));
    const editDistance = meanAbsoluteDifference(edited, referencePixels);
    const freshDistance = meanAbsoluteDifference(fresh, referencePixels);
    expect(editDistance).toBeLessThan(freshDistance * 0.5);
    expect(structuralSimilarity(edited, referencePixels)).toBeGreaterThan(
      structuralSimilarity(fresh, referencePixels),
    );
  });

  it('tints the reference differently for different prompts, deterministically', async () => {
    const reference = await photo();
    const snow = await renderImage({
      ...request,
      ...size,
      prompt: 'make it snow',
      referenceImages: [reference],
    });
    const again = await renderImage({
      ...request,
      ...size,
      prompt: 'make it snow',
      referenceImages: [reference],
    });
    const night = await renderImage({
      ...request,
      ...size,
      prompt: 'make it night',
      referenceImages: [reference],
    });
    expect(again.equals(snow)).toBe(true);
    expect(meanAbsoluteDifference(await decodeRgb(snow), await decodeRgb(night))).toBeGreaterThan(3);
  });

  it('uses every reference when there are several', async () => {
    const red = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const blue = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0000ff' } })
      .png()
      .toBuffer();
    const edited = await decodeRgb(await renderImage({ ...request, ...size, referenceImages: [red, blue] }));
    const redSide = edited.data[(384 * size.width + 100) * 3] ?? 0;
    const blueSide = edited.data[(384 * size.width + 924) * 3 + 2] ?? 0;
    expect(redSide).toBeGreaterThan(150);
    expect(blueSide).toBeGreaterThan(150);
  });

  it('reports an undecodable reference by its index', async () => {
    await expect(
      renderImage({ ...request, referenceImages: [new TextEncoder().encode('garbage')] }),
    ).rejects.toThrow(ReferenceImageDecodeError);
  });

  it.skipIf(!ffmpegAvailable)('derives an image from the frames of a video', async () => {
    const fixtureDirectory = await mkdtemp(join(tmpdir(), 'imagegate-art-fixture-'));
    try {
      const video = await makeTestVideo(fixtureDirectory, 'mp4', 'testsrc=duration=1:size=320x240:rate=10');
      const frames = await extractVideoFrames(video);
      const fromVideo = await decodeRgb(await renderImage({ ...request, ...size, referenceImages: frames }));
      const fresh = await decodeRgb(await renderImage({ ...request, ...size }));
      const middleFrame = frames[1] ?? Buffer.alloc(0);
      // The frames tile the canvas; the second tile shows the middle frame under the tint.
      const crop = tileLayout(frames.length, size)[1];
      if (crop === undefined) throw new Error('expected a second tile');
      const cropOf = async (pixels: { width: number; height: number; data: Uint8Array }) =>
        decodeRgb(
          await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
            .extract(crop)
            .png()
            .toBuffer(),
        );
      const framePixels = await decodeRgb(
        await sharp(middleFrame).resize(crop.width, crop.height, { fit: 'cover' }).png().toBuffer(),
      );
      const editDistance = meanAbsoluteDifference(await cropOf(fromVideo), framePixels);
      const freshDistance = meanAbsoluteDifference(await cropOf(fresh), framePixels);
      expect(editDistance).toBeLessThan(freshDistance * 0.5);
    } finally {
      await rm(fixtureDirectory, { recursive: true, force: true });
    }
  });
});
