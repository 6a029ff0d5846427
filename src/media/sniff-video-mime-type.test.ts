import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffVideoMimeType } from './sniff-video-mime-type.js';
import { bytesOf, ftypBox } from './test-support/media-headers.js';
import { ffmpegAvailableForTests, makeTestVideo } from '../emulator/art/test-support/test-video.js';

const ffmpegAvailable = await ffmpegAvailableForTests();

/** An EBML header with the given DocType, as Matroska and WebM muxers write it. */
function ebmlHeader(docType: string): Uint8Array {
  return bytesOf(
    [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x80 + docType.length],
    docType,
  );
}

describe('sniffVideoMimeType from headers', () => {
  it('recognises MP4 by its major brand or, failing that, a compatible brand', () => {
    expect(sniffVideoMimeType(ftypBox('isom', ['isom', 'iso2', 'avc1', 'mp41']))).toBe('video/mp4');
    expect(sniffVideoMimeType(ftypBox('mp42', ['mp42', 'isom']))).toBe('video/mp4');
    expect(sniffVideoMimeType(ftypBox('M4V ', ['M4V ', 'mp42']))).toBe('video/mp4');
    expect(sniffVideoMimeType(ftypBox('XAVC', ['XAVC', 'mp42', 'iso2']))).toBe('video/mp4');
  });

  it('recognises QuickTime by brand and by the boxes of files older than ftyp', () => {
    expect(sniffVideoMimeType(ftypBox('qt  ', ['qt  ']))).toBe('video/quicktime');
    expect(sniffVideoMimeType(bytesOf([0, 0, 0, 8], 'wide', [0, 0, 0, 0], 'mdat'))).toBe('video/quicktime');
    expect(sniffVideoMimeType(bytesOf([0, 0, 0, 0x6c], 'moov'))).toBe('video/quicktime');
  });

  it('tells WebM from other Matroska files by DocType', () => {
    expect(sniffVideoMimeType(ebmlHeader('webm'))).toBe('video/webm');
    expect(sniffVideoMimeType(ebmlHeader('matroska'))).toBeUndefined();
  });

  it('does not take still images in the same containers for video', async () => {
    expect(sniffVideoMimeType(ftypBox('heic', ['mif1', 'heic']))).toBeUndefined();
    expect(sniffVideoMimeType(ftypBox('avif', ['avif', 'mif1', 'miaf', 'iso8']))).toBeUndefined();
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(sniffVideoMimeType(png)).toBeUndefined();
  });

  it('returns undefined for unknown or truncated bytes', () => {
    expect(sniffVideoMimeType(new Uint8Array())).toBeUndefined();
    expect(sniffVideoMimeType(bytesOf([0x1a, 0x45]))).toBeUndefined();
    expect(sniffVideoMimeType(ftypBox('3gp4', ['3gp4']))).toBeUndefined();
    expect(sniffVideoMimeType(bytesOf('RIFF', [0, 0, 0, 0], 'AVI LIST'))).toBeUndefined();
  });
});

describe.skipIf(!ffmpegAvailable)('sniffVideoMimeType on files written by ffmpeg', () => {
  let fixtureDirectory = '';
  beforeAll(async () => {
    fixtureDirectory = await mkdtemp(join(tmpdir(), 'imagegate-art-fixture-'));
  });
  afterAll(async () => {
    await rm(fixtureDirectory, { recursive: true, force: true });
  });

  it('recognises MP4, WebM and QuickTime', async () => {
    expect(sniffVideoMimeType(await makeTestVideo(fixtureDirectory, 'mp4'))).toBe('video/mp4');
    expect(sniffVideoMimeType(await makeTestVideo(fixtureDirectory, 'webm'))).toBe('video/webm');
    expect(sniffVideoMimeType(await makeTestVideo(fixtureDirectory, 'mov'))).toBe('video/quicktime');
  });
});
