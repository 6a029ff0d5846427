import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { BlobProvenance } from './blob-provenance.js';
import { embedJpegProvenance, readJpegProvenance } from './jpeg-provenance.js';

const provenance: BlobProvenance = {
  logicalModel: 'image_quality',
  servedModel: 'served-model',
  platform: 'vertex-ai',
  promptSha256: 'b'.repeat(64),
  taskId: 'task_img_01J00000000000000000000000',
};

async function jpeg(): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 9, channels: 3, background: '#aa2200' } })
    .jpeg()
    .toBuffer();
}

function markers(bytes: Buffer): number[] {
  const found: number[] = [];
  let offset = 2;
  while (bytes[offset] === 0xff) {
    const marker = bytes[offset + 1] ?? 0;
    found.push(marker);
    if (marker === 0xda) break;
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return found;
}

describe('JPEG provenance', () => {
  it('round-trips through a COM segment, first when there is no APPn segment', async () => {
    const original = await jpeg();
    const tagged = embedJpegProvenance(original, provenance);
    expect(readJpegProvenance(tagged)).toEqual(provenance);
    expect(markers(tagged)).toEqual([0xfe, ...markers(original)]);
  });

  it('keeps EXIF (APP1) first and puts the comment right after it', async () => {
    const withExif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'imagegate test' } })
      .toBuffer();
    const tagged = embedJpegProvenance(withExif, provenance);
    const [first, ...rest] = markers(withExif);
    expect(first).toBe(0xe1);
    expect(markers(tagged)).toEqual([0xe1, 0xfe, ...rest]);
    expect((await sharp(tagged).metadata()).exif).toBeDefined();
    expect(readJpegProvenance(tagged)).toEqual(provenance);
  });

  it('copies the compressed data byte for byte: sharp decodes identical pixels', async () => {
    const original = await jpeg();
    const tagged = embedJpegProvenance(original, provenance);
    expect(tagged.length).toBeGreaterThan(original.length);
    expect(tagged.subarray(tagged.length - 200).equals(original.subarray(original.length - 200))).toBe(true);
    const [before, after] = await Promise.all([
      sharp(original).raw().toBuffer(),
      sharp(tagged).raw().toBuffer(),
    ]);
    expect(after.equals(before)).toBe(true);
  });

  it('replaces an earlier record', async () => {
    const once = embedJpegProvenance(await jpeg(), provenance);
    const twice = embedJpegProvenance(once, { ...provenance, platform: 'gemini-api' });
    expect(markers(twice).filter((marker) => marker === 0xfe)).toHaveLength(1);
    expect(readJpegProvenance(twice)?.platform).toBe('gemini-api');
  });

  it('reads nothing from an untagged JPEG or from other bytes', async () => {
    expect(readJpegProvenance(await jpeg())).toBeUndefined();
    expect(readJpegProvenance(Buffer.from([1, 2, 3]))).toBeUndefined();
  });

  it('refuses bytes without a JPEG start marker', () => {
    expect(() => embedJpegProvenance(Buffer.from('GIF89a'), provenance)).toThrow(/JPEG/);
  });
});
