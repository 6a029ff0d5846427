import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../blobs/index.js';
import { ApiError } from '../http/api-error.js';
import { fileIdOf, storeReferences } from './reference-media.js';

let directory: string;
let blobs: BlobStore;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'imagegate-references-'));
  blobs = new BlobStore({ directory });
});
afterEach(() => rm(directory, { recursive: true, force: true }));

const png = () =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: '#0a0' } })
    .png()
    .toBuffer();
// The smallest shape the byte sniffer reads as MP4: a box size, then "ftyp" and a brand.
const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(12)]);

async function refusal(entries: string[], options: { maxImageBytes?: number } = {}): Promise<ApiError> {
  const error = await storeReferences(entries, 'images', { blobs, ...options }).catch(
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('storeReferences', () => {
  it('stores data URLs and resolves file ids, in order', async () => {
    const bytes = await png();
    const uploaded = await blobs.put(bytes, 'image/png');
    const stored = await storeReferences(
      [fileIdOf(uploaded.sha256), `data:image/png;base64,${bytes.toString('base64')}`],
      'images',
      { blobs },
    );
    expect(stored.references).toEqual([
      { sha256: uploaded.sha256, mimeType: 'image/png' },
      { sha256: uploaded.sha256, mimeType: 'image/png' },
    ]);
    expect(stored.video).toBeUndefined();
  });

  it('takes one uploaded video as the request video and refuses two', async () => {
    const video = await blobs.put(mp4, 'video/mp4');
    const stored = await storeReferences([fileIdOf(video.sha256)], 'images', { blobs });
    expect(stored).toEqual({ references: [], video: { sha256: video.sha256, mimeType: 'video/mp4' } });
    expect((await refusal([fileIdOf(video.sha256), fileIdOf(video.sha256)])).param).toBe('images');
  });

  it('names the entry at fault', async () => {
    expect(await refusal(['data:image/png;base64,aGVsbG8='])).toMatchObject({
      param: 'images[0]',
      code: 'unsupported_media',
    });
    expect(await refusal([`file_${'f'.repeat(64)}`])).toMatchObject({
      param: 'images[0]',
      code: 'unknown_file',
    });
    expect(await refusal(['ftp://example.com/a.png'])).toMatchObject({ param: 'images[0]', status: 400 });
    expect(await refusal(['data:image/png,not-base64'])).toMatchObject({ param: 'images[0]', status: 400 });
  });

  it('answers 413 for a reference over the size limit', async () => {
    const bytes = await png();
    const error = await refusal([`data:image/png;base64,${bytes.toString('base64')}`], { maxImageBytes: 10 });
    expect(error).toMatchObject({ status: 413, param: 'images[0]' });
  });

  it('refuses URLs that resolve to private addresses unless allowed', async () => {
    expect(await refusal(['http://localhost:1/x.png'])).toMatchObject({ code: 'url_not_allowed' });
  });
});
