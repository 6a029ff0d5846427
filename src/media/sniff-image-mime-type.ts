/** Image format from magic bytes, because a client's declared MIME type is not evidence. */
import { fourCharacterCode, normalisedBrands, readIsoMediaBrands } from './iso-media-brands.js';

export type SniffedImageMimeType =
  'image/png' | 'image/jpeg' | 'image/webp' | 'image/heic' | 'image/heif' | 'image/gif';

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const jpegSignature = [0xff, 0xd8, 0xff];
/** HEVC-coded HEIF brands (stills and sequences) are "image/heic"; the generic ones are "image/heif". */
const heicBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const heifBrands = new Set(['mif1', 'msf1', 'heif']);
/** AVIF shares the HEIF container but is a different format the API does not take as HEIF. */
const avifBrands = new Set(['avif', 'avis']);

/** The image MIME type the bytes really are, or undefined when they are none of these formats. */
export function sniffImageMimeType(bytes: Uint8Array): SniffedImageMimeType | undefined {
  if (startsWith(bytes, pngSignature)) return 'image/png';
  if (startsWith(bytes, jpegSignature)) return 'image/jpeg';
  if (bytes.length >= 6) {
    const gifHeader = String.fromCharCode(...bytes.subarray(0, 6));
    if (gifHeader === 'GIF87a' || gifHeader === 'GIF89a') return 'image/gif';
  }
  if (
    bytes.length >= 12 &&
    fourCharacterCode(bytes, 0) === 'RIFF' &&
    fourCharacterCode(bytes, 8) === 'WEBP'
  ) {
    return 'image/webp';
  }
  return sniffHeif(bytes);
}

function sniffHeif(bytes: Uint8Array): SniffedImageMimeType | undefined {
  const brands = readIsoMediaBrands(bytes);
  if (brands === undefined) return undefined;
  const [majorBrand = '', ...compatibleBrands] = normalisedBrands(brands);
  if (heicBrands.has(majorBrand)) return 'image/heic';
  if (avifBrands.has(majorBrand) || compatibleBrands.some((brand) => avifBrands.has(brand))) return undefined;
  if (heifBrands.has(majorBrand)) {
    return compatibleBrands.some((brand) => heicBrands.has(brand)) ? 'image/heic' : 'image/heif';
  }
  return undefined;
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}
