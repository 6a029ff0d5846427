import { describe, expect, it } from 'vitest';
import { normalisedBrands, readIsoMediaBrands } from './iso-media-brands.js';
import { ftypBox } from './test-support/media-headers.js';

describe('readIsoMediaBrands', () => {
  it('reads the major and compatible brands', () => {
    expect(readIsoMediaBrands(ftypBox('isom', ['isom', 'iso2', 'mp41']))).toEqual({
      majorBrand: 'isom',
      compatibleBrands: ['isom', 'iso2', 'mp41'],
    });
  });

  it('stops at the end of the box, not at the end of the file', () => {
    const bytes = ftypBox('qt  ', ['qt  ']);
    bytes.set(new TextEncoder().encode('qt  '), 20);
    expect(readIsoMediaBrands(bytes)?.compatibleBrands).toEqual(['qt  ']);
  });

  it('rejects bytes that do not start with an ftyp box', () => {
    expect(readIsoMediaBrands(new TextEncoder().encode('\0\0\0\x14moovmvhd\0\0\0\0'))).toBeUndefined();
    expect(readIsoMediaBrands(new Uint8Array(4))).toBeUndefined();
  });

  it('normalises brands for comparison', () => {
    expect(normalisedBrands({ majorBrand: 'M4V ', compatibleBrands: ['qt  '] })).toEqual(['m4v', 'qt']);
  });
});
