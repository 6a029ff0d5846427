import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffMediaType } from './sniff-media-type.js';
import { ftypBox } from './test-support/media-headers.js';

const solid = () => sharp({ create: { width: 4, height: 4, channels: 3, background: '#3366cc' } });

describe('sniffMediaType', () => {
  it('recognises images sharp writes', async () => {
    expect(sniffMediaType(await solid().png().toBuffer())).toBe('image/png');
    expect(sniffMediaType(await solid().jpeg().toBuffer())).toBe('image/jpeg');
    expect(sniffMediaType(await solid().webp().toBuffer())).toBe('image/webp');
    expect(sniffMediaType(await solid().gif().toBuffer())).toBe('image/gif');
  });

  it('calls SVG text SVG whatever the file is named', () => {
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(sniffMediaType(svg)).toBe('image/svg+xml');
  });

  it('tells ISO media brands apart', () => {
    expect(sniffMediaType(ftypBox('heic', ['mif1', 'heic']))).toBe('image/heic');
    expect(sniffMediaType(ftypBox('mif1', ['mif1']))).toBe('image/heif');
    expect(sniffMediaType(ftypBox('isom', ['isom', 'mp41']))).toBe('video/mp4');
    expect(sniffMediaType(ftypBox('qt  ', ['qt  ']))).toBe('video/quicktime');
  });

  it('returns undefined for anything else', () => {
    expect(sniffMediaType(Buffer.from('hello world'))).toBeUndefined();
    expect(sniffMediaType(new Uint8Array())).toBeUndefined();
  });
});
