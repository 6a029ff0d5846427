import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { BlobProvenance } from './blob-provenance.js';
import { embedPngProvenance, readPngProvenance } from './png-provenance.js';

const provenance: BlobProvenance = {
  logicalModel: 'image_fast',
  servedModel: 'gemini-2.5-flash-image',
  platform: 'gemini-api',
  promptSha256: 'a'.repeat(64),
  taskId: 'task_img_01HZZZZZZZZZZZZZZZZZZZZZZZ',
};

async function png(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 6, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
}

function chunkTypes(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 8; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    types.push(bytes.toString('latin1', offset + 4, offset + 8));
    offset += 12 + length;
  }
  return types;
}

describe('PNG provenance', () => {
  it('round-trips through an iTXt chunk placed right before IEND', async () => {
    const tagged = embedPngProvenance(await png(), provenance);
    expect(readPngProvenance(tagged)).toEqual(provenance);
    expect(chunkTypes(tagged).slice(-2)).toEqual(['iTXt', 'IEND']);
  });

  it('writes a valid CRC so strict readers accept the chunk', async () => {
    const tagged = embedPngProvenance(await png(), provenance);
    const types = chunkTypes(tagged);
    let offset = 8;
    for (const type of types) {
      const length = tagged.readUInt32BE(offset);
      const stored = tagged.readUInt32BE(offset + 8 + length);
      expect(stored, `CRC of ${type}`).toBe(crc32(tagged.subarray(offset + 4, offset + 8 + length)));
      offset += 12 + length;
    }
  });

  it('keeps the pixels: sharp decodes the tagged file to the same raw data', async () => {
    const original = await png();
    const tagged = embedPngProvenance(original, provenance);
    const [before, after] = await Promise.all([
      sharp(original).raw().toBuffer(),
      sharp(tagged).raw().toBuffer(),
    ]);
    expect(after.equals(before)).toBe(true);
    expect((await sharp(tagged).metadata()).format).toBe('png');
  });

  it('replaces an earlier record instead of adding a second one', async () => {
    const once = embedPngProvenance(await png(), provenance);
    const twice = embedPngProvenance(once, { ...provenance, taskId: 'task_img_other' });
    expect(chunkTypes(twice).filter((type) => type === 'iTXt')).toHaveLength(1);
    expect(readPngProvenance(twice)?.taskId).toBe('task_img_other');
  });

  it('reads nothing from a PNG without a record, and from bytes that are not PNG', async () => {
    expect(readPngProvenance(await png())).toBeUndefined();
    expect(readPngProvenance(Buffer.from('not a png'))).toBeUndefined();
  });

  it('refuses a PNG without IEND', async () => {
    const truncated = (await png()).subarray(0, 20);
    expect(() => embedPngProvenance(truncated, provenance)).toThrow(/PNG/);
  });
});
