import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkImageStructure } from './image-structure.js';

const picture = () =>
  sharp({ create: { width: 96, height: 54, channels: 3, background: { r: 30, g: 140, b: 200 } } });

describe('checkImageStructure', () => {
  it('reads a whole PNG and a whole JPEG: type and size, nothing decoded', async () => {
    expect(checkImageStructure(await picture().png().toBuffer())).toEqual({
      ok: true,
      mimeType: 'image/png',
      width: 96,
      height: 54,
    });
    expect(checkImageStructure(await picture().jpeg().toBuffer())).toEqual({
      ok: true,
      mimeType: 'image/jpeg',
      width: 96,
      height: 54,
    });
    expect(checkImageStructure(await picture().jpeg({ progressive: true }).toBuffer())).toMatchObject({
      ok: true,
      width: 96,
    });
  });

  it('refuses a PNG cut off, corrupted in its pixel data, or with bytes after the end', async () => {
    const png = await picture().png().toBuffer();
    expect(checkImageStructure(png.subarray(0, png.length - 20))).toMatchObject({ ok: false });
    expect(checkImageStructure(png.subarray(0, Math.floor(png.length / 2)))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('cut off'),
    });
    const idat = png.indexOf('IDAT', 0, 'latin1');
    const corrupted = Buffer.from(png);
    corrupted[idat + 6] = corrupted[idat + 6]! ^ 0xff;
    expect(checkImageStructure(corrupted)).toEqual({
      ok: false,
      reason: "the PNG's IDAT chunk fails its CRC check",
    });
    expect(checkImageStructure(Buffer.concat([png, Buffer.from('tail')]))).toMatchObject({ ok: false });
  });

  it('refuses a JPEG without its end-of-image marker', async () => {
    const jpeg = await picture().jpeg().toBuffer();
    expect(checkImageStructure(jpeg.subarray(0, jpeg.length - 10))).toEqual({
      ok: false,
      reason: 'the JPEG is cut off: no end-of-image marker',
    });
    expect(checkImageStructure(jpeg.subarray(0, 40))).toMatchObject({ ok: false });
  });

  it('leaves other formats to a decoder', async () => {
    expect(checkImageStructure(await picture().webp().toBuffer())).toBeUndefined();
    expect(checkImageStructure(Buffer.from('not an image'))).toBeUndefined();
  });
});
