import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { referenceMosaic, ReferenceImageDecodeError } from './reference-mosaic.js';
import { ftypBox } from '../../media/test-support/media-headers.js';

const red = { r: 255, g: 0, b: 0 };
const blue = { r: 0, g: 0, b: 255 };

function solid(width: number, height: number, colour: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

/** An image whose left half is red and right half blue. */
async function splitRedBlue(width: number, height: number): Promise<Sharp> {
  const half = Math.floor(width / 2);
  return sharp({ create: { width, height, channels: 3, background: blue } }).composite([
    { input: await solid(half, height, red), left: 0, top: 0 },
  ]);
}

function pixelAt(raw: Buffer, width: number, column: number, row: number): number[] {
  const offset = (row * width + column) * 3;
  return Array.from(raw.subarray(offset, offset + 3));
}

describe('referenceMosaic', () => {
  it('cover-fits one reference: scales to fill and crops the overflow centrally', async () => {
    const wide = await (await splitRedBlue(400, 100)).png().toBuffer();
    const raw = await referenceMosaic([wide], { width: 100, height: 100 });
    expect(raw.length).toBe(100 * 100 * 3);
    // The centre 100x100 of a 400x100 image is the middle quarter: left half red, right half blue.
    expect(pixelAt(raw, 100, 10, 50)).toEqual([255, 0, 0]);
    expect(pixelAt(raw, 100, 90, 50)).toEqual([0, 0, 255]);
  });

  it('tiles several references side by side on a landscape canvas', async () => {
    const raw = await referenceMosaic([await solid(50, 50, red), await solid(80, 30, blue)], {
      width: 200,
      height: 100,
    });
    expect(pixelAt(raw, 200, 20, 50)).toEqual([255, 0, 0]);
    expect(pixelAt(raw, 200, 180, 50)).toEqual([0, 0, 255]);
  });

  it('turns greyscale and transparent images into RGB, with transparency shown as white', async () => {
    const grey = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const clear = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    expect(pixelAt(await referenceMosaic([grey], { width: 4, height: 4 }), 4, 1, 1)).toEqual([128, 128, 128]);
    expect(pixelAt(await referenceMosaic([clear], { width: 4, height: 4 }), 4, 1, 1)).toEqual([
      255, 255, 255,
    ]);
  });

  it('applies the EXIF orientation before fitting', async () => {
    // Stored 40x20 red|blue, tagged "rotate 90° clockwise": shown 20x40, red on top.
    const rotated = await (
      await splitRedBlue(40, 20)
    )
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const raw = await referenceMosaic([rotated], { width: 20, height: 40 });
    const top = pixelAt(raw, 20, 10, 5);
    const bottom = pixelAt(raw, 20, 10, 35);
    expect(top[0]).toBeGreaterThan(200);
    expect(bottom[2]).toBeGreaterThan(200);
  });

  it('names the reference it cannot decode', async () => {
    const attempt = referenceMosaic([await solid(4, 4, red), new TextEncoder().encode('not an image')], {
      width: 32,
      height: 32,
    });
    await expect(attempt).rejects.toThrow(ReferenceImageDecodeError);
    await expect(attempt).rejects.toThrow(
      'referenceImages[1] (12 bytes, unrecognised format) could not be decoded',
    );
  });

  it('stands in for HEIC it cannot decode with art seeded by the bytes', async () => {
    const heic = ftypBox('heic', ['mif1', 'heic']);
    const otherHeic = ftypBox('heic', ['mif1', 'heic', 'miaf']);
    const first = await referenceMosaic([heic], { width: 64, height: 48 });
    expect(first.length).toBe(64 * 48 * 3);
    expect((await referenceMosaic([heic], { width: 64, height: 48 })).equals(first)).toBe(true);
    expect((await referenceMosaic([otherHeic], { width: 64, height: 48 })).equals(first)).toBe(false);
  });
});
