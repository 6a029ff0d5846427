import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffImageMimeType } from './sniff-image-mime-type.js';
import { bytesOf, ftypBox } from './test-support/media-headers.js';

function encoded(format: 'png' | 'jpeg' | 'webp' | 'gif'): Promise<Buffer> {
  return sharp({ create: { width: 4, height: 3, channels: 3, background: '#336699' } })
    .toFormat(format)
    .toBuffer();
}

describe('sniffImageMimeType', () => {
  it('recognises PNG, JPEG, WebP and GIF written by a real encoder', async () => {
    expect(sniffImageMimeType(await encoded('png'))).toBe('image/png');
    expect(sniffImageMimeType(await encoded('jpeg'))).toBe('image/jpeg');
    expect(sniffImageMimeType(await encoded('webp'))).toBe('image/webp');
    expect(sniffImageMimeType(await encoded('gif'))).toBe('image/gif');
  });

  it('recognises both GIF versions', () => {
    expect(sniffImageMimeType(bytesOf('GIF87a', [1, 0, 1, 0]))).toBe('image/gif');
    expect(sniffImageMimeType(bytesOf('GIF88a', [1, 0, 1, 0]))).toBeUndefined();
  });

  it('tells HEIC from generic HEIF by brand', () => {
    expect(sniffImageMimeType(ftypBox('heic', ['mif1', 'heic']))).toBe('image/heic');
    expect(sniffImageMimeType(ftypBox('heix', ['mif1']))).toBe('image/heic');
    expect(sniffImageMimeType(ftypBox('mif1', ['mif1', 'heic']))).toBe('image/heic');
    expect(sniffImageMimeType(ftypBox('mif1', ['mif1']))).toBe('image/heif');
    expect(sniffImageMimeType(ftypBox('msf1', ['msf1']))).toBe('image/heif');
  });

  it('does not mistake AVIF or MP4 for HEIF', async () => {
    expect(sniffImageMimeType(ftypBox('avif', ['avif', 'mif1', 'miaf']))).toBeUndefined();
    expect(sniffImageMimeType(ftypBox('mif1', ['avif', 'mif1']))).toBeUndefined();
    expect(sniffImageMimeType(ftypBox('isom', ['isom', 'mp41']))).toBeUndefined();
    const avif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } })
      .avif()
      .toBuffer();
    expect(sniffImageMimeType(avif)).toBeUndefined();
  });

  it('returns undefined for other bytes, truncated signatures and empty input', () => {
    expect(sniffImageMimeType(new Uint8Array())).toBeUndefined();
    expect(sniffImageMimeType(bytesOf([0x89, 0x50, 0x4e, 0x47]))).toBeUndefined();
    expect(sniffImageMimeType(bytesOf([0xff, 0xd8]))).toBeUndefined();
    expect(sniffImageMimeType(bytesOf('RIFF', [0, 0, 0, 0], 'WAVE'))).toBeUndefined();
    expect(sniffImageMimeType(bytesOf('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
  });
});
