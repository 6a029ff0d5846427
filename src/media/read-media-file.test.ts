import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MediaInputError, readMediaFile } from './read-media-file.js';

const imageOptions = {
  allowedTypes: ['image/png', 'image/jpeg'] as const,
  maxBytes: 1024 * 1024,
  role: 'reference image',
};

describe('readMediaFile', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-media-'));

  it('reads a PNG and reports its sniffed type', async () => {
    const path = join(directory, 'ok.png');
    await writeFile(
      path,
      await sharp({ create: { width: 2, height: 2, channels: 3, background: 'red' } })
        .png()
        .toBuffer(),
    );
    const input = await readMediaFile(path, imageOptions);
    expect(input.mimeType).toBe('image/png');
    expect(input.label).toBe(path);
  });

  it('refuses a missing file, naming it', async () => {
    await expect(readMediaFile(join(directory, 'missing.png'), imageOptions)).rejects.toThrow(
      /missing\.png" does not exist/,
    );
  });

  it('refuses an SVG named .png', async () => {
    const path = join(directory, 'fake.png');
    await writeFile(path, '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    await expect(readMediaFile(path, imageOptions)).rejects.toThrow(
      /is image\/svg\+xml; allowed: image\/png, image\/jpeg/,
    );
  });

  it('refuses a file over the size limit before reading it', async () => {
    const path = join(directory, 'big.png');
    await writeFile(path, Buffer.alloc(2 * 1024 * 1024));
    const error = await readMediaFile(path, imageOptions).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaInputError);
    expect((error as Error).message).toMatch(/is 2\.0 MB; the limit is 1\.0 MB/);
  });
});
